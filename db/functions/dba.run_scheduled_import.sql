-- dba.run_scheduled_import: one in-database run (import, then the run's report mail queued), for pg_cron.
CREATE OR REPLACE FUNCTION dba.run_scheduled_import(
    p_report_to text[] DEFAULT NULL,
    p_job       text DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   What the pg_cron job of dba.schedule_in_database() runs; from psql it is one run by hand:
     SELECT dba.run_scheduled_import(ARRAY['etl-admin@example.com']);
   Starts a run ('pg_cron'), imports what waits in the processing directories (of p_job only,
   when given), queues the run's report in dba.temailoutbox (sent by the next `feeds mail send`)
   and finishes the run. Returns the run's uuid. Files are not moved: the next `feeds run`
   archives and quarantines them.
*/
DECLARE
    v_run uuid := dba.start_run('pg_cron');
BEGIN
    PERFORM count(*) FROM dba.run_import(p_job => p_job, p_run_uuid => v_run);
    PERFORM count(*) FROM dba.queue_run_report(v_run, coalesce(p_report_to, '{}'::text[]));
    PERFORM dba.finish_run(v_run);
    RETURN v_run;
END
$function$;

ALTER FUNCTION dba.run_scheduled_import(text[], text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.run_scheduled_import(text[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.run_scheduled_import(text[], text) TO feeds_etl;
COMMENT ON FUNCTION dba.run_scheduled_import(text[], text) IS
'One in-database run for pg_cron: start_run(''pg_cron''), run_import (of p_job, or every job), queue_run_report to p_report_to, finish_run; returns the run uuid. Raises what those raise (FD001 for an unknown job, FD070 for a bad address).';
