-- dba.unschedule_in_database: remove the pg_cron jobs of Feeds.
CREATE OR REPLACE FUNCTION dba.unschedule_in_database()
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql, as the user who scheduled them (or a superuser):
     SELECT dba.unschedule_in_database();     -- how many jobs were removed
   Removes every pg_cron job named feeds-*; 0 when there is none or pg_cron is not installed.
*/
DECLARE
    v_removed integer := 0;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_cron') THEN
        EXECUTE 'SELECT count(*) FILTER (WHERE cron.unschedule(jobid)) FROM cron.job WHERE jobname LIKE ''feeds-%'''
           INTO v_removed;
    END IF;
    RETURN v_removed;
END
$function$;

ALTER FUNCTION dba.unschedule_in_database() OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.unschedule_in_database() FROM PUBLIC;
COMMENT ON FUNCTION dba.unschedule_in_database() IS
'Removes the pg_cron jobs named feeds-* (see dba.schedule_in_database); returns how many. 0 when pg_cron is not installed. Raises nothing of its own.';
