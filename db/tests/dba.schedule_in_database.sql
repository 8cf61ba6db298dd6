-- dba.schedule_in_database(), dba.unschedule_in_database(), dba.run_scheduled_import() without pg_cron
-- (tests/test_pgcron.py runs a real schedule): refused with FD090 and the way out; who may call what.
BEGIN;
SELECT plan(5);

SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron')
            THEN skip('pg_cron is installed in this database', 2)
            ELSE collect_tap(
                throws_ok($$SELECT dba.schedule_in_database()$$, 'FD090', NULL, 'scheduling without pg_cron is refused'),
                is(dba.unschedule_in_database(), 0, 'unscheduling without pg_cron removes nothing and does not fail'))
       END;
SELECT function_privs_are('dba', 'schedule_in_database', ARRAY['text', 'text[]', 'text', 'text'], 'feeds_etl',
                          ARRAY[]::text[], 'feeds_etl may not schedule');
SELECT function_privs_are('dba', 'run_scheduled_import', ARRAY['text[]', 'text'], 'feeds_etl',
                          ARRAY['EXECUTE'], 'feeds_etl runs the scheduled import');
SELECT matches((SELECT dba.run_scheduled_import(p_job => NULL)::text), '^[0-9a-f-]{36}$',
               'one in-database run by hand returns its run uuid');

SELECT * FROM finish();
ROLLBACK;
