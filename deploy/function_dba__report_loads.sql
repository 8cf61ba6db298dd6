-- Deploy feeds:function_dba__report_loads to pg
-- Generated from db/functions/dba._report_loads.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._report_loads: the loads one run's report covers.
CREATE OR REPLACE FUNCTION dba._report_loads(p_run_uuid uuid, p_job text DEFAULT NULL)
RETURNS SETOF dba.tdataloads
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; every part of the run report (dba.build_run_report) reads its loads from here:
     SELECT load_id, file_name, status FROM dba._report_loads('3f0c…'::uuid);                -- whole run
     SELECT load_id, file_name, status FROM dba._report_loads('3f0c…'::uuid, 'visitas');     -- one job
   The run's own loads and those of an earlier, killed run that this run reports (reported_in),
   of job p_job only when it is given. In no order.
*/
SELECT d.*
  FROM dba.tdataloads d
 WHERE (d.run_uuid = p_run_uuid OR d.reported_in = p_run_uuid) AND (p_job IS NULL OR d.job_name = p_job);
$function$;

ALTER FUNCTION dba._report_loads(uuid, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._report_loads(uuid, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._report_loads(uuid, text) IS
'Internal: the rows of dba.tdataloads a run''s report covers: the run''s loads and those it reports for a killed earlier run (reported_in), only job p_job''s when given. Raises nothing.';

COMMIT;
