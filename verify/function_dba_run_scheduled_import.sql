-- Verify feeds:function_dba_run_scheduled_import on pg
DO $$ BEGIN ASSERT has_function_privilege('feeds_etl', 'dba.run_scheduled_import(text[], text)', 'execute'); END $$;
