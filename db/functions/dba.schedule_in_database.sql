-- dba.schedule_in_database: schedule the in-database part of Feeds with pg_cron.
CREATE OR REPLACE FUNCTION dba.schedule_in_database(
    p_schedule  text DEFAULT '0 2 * * 1',
    p_report_to text[] DEFAULT NULL,
    p_job       text DEFAULT NULL,
    p_username  text DEFAULT 'feeds_etl'
) RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   As a superuser, in the Feeds database, with pg_cron preloaded and created here
   (shared_preload_libraries = 'pg_cron', cron.database_name = this database,
   CREATE EXTENSION pg_cron):
     SELECT dba.schedule_in_database();                          -- Mondays 02:00, as feeds_etl
     SELECT dba.schedule_in_database('0 6 * * *', ARRAY['etl-admin@example.com']);
     SELECT * FROM cron.job_run_details ORDER BY start_time DESC LIMIT 5;
   Creates or replaces the pg_cron job 'feeds-import', which runs dba.run_scheduled_import()
   as p_username; returns its job id. dba.unschedule_in_database() removes it.
*/
DECLARE
    v_command text := format('SELECT dba.run_scheduled_import(p_report_to => %L::text[], p_job => %L)',
                             p_report_to, p_job);
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in database %', current_database()
              USING ERRCODE = 'FD090',
                    HINT = format('Preload it (shared_preload_libraries = ''pg_cron'', cron.database_name = %L), '
                                  'restart the server, then CREATE EXTENSION pg_cron; or schedule with cron '
                                  '(etc/cron.d/feeds).', current_database());
    END IF;
    RETURN cron.schedule_in_database('feeds-import', p_schedule, v_command, current_database(), p_username);
END
$function$;

ALTER FUNCTION dba.schedule_in_database(text, text[], text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.schedule_in_database(text, text[], text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba.schedule_in_database(text, text[], text, text) IS
'Schedules (or reschedules) the pg_cron job feeds-import: dba.run_scheduled_import(p_report_to, p_job) on p_schedule (cron syntax, default Mondays 02:00) as p_username (default feeds_etl); returns the job id. For a superuser. Raises FD090 when pg_cron is not installed in this database.';
