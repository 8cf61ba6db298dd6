-- Verify feeds:function_dba_schedule_in_database on pg (feeds_etl may not schedule)
DO $$ BEGIN ASSERT NOT has_function_privilege('feeds_etl', 'dba.schedule_in_database(text, text[], text, text)', 'execute'); END $$;
