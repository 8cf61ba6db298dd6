-- Verify feeds:function_dba_client_of_inbox on pg
DO $$ BEGIN ASSERT has_function_privilege('feeds_etl', 'dba.client_of_inbox(text, text)', 'execute'); END $$;
