-- Verify feeds:function_dba_set_load_client on pg
DO $$ BEGIN ASSERT has_function_privilege('feeds_etl', 'dba.set_load_client(bigint, text)', 'execute'); END $$;
