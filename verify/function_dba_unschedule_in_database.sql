-- Verify feeds:function_dba_unschedule_in_database on pg (feeds_etl may not unschedule)
DO $$ BEGIN ASSERT NOT has_function_privilege('feeds_etl', 'dba.unschedule_in_database()', 'execute'); END $$;
