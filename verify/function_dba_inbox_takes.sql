-- Verify feeds:function_dba_inbox_takes on pg
DO $$ BEGIN ASSERT has_function_privilege('feeds_etl', 'dba.inbox_takes(text, text, text)', 'execute'); END $$;
