-- Deploy feeds:function_dba_delivered_name to pg
-- Generated from db/functions/dba.delivered_name.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.delivered_name: which delivered file a name in a job's processing directory is loaded for.
CREATE OR REPLACE FUNCTION dba.delivered_name(p_job text, p_processing_name text)
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   The inverse of dba.processing_name(), for the engine (which names in processing it loads)
   and the runner's list (a workbook load moves its original too):
     SELECT dba.delivered_name('meetmax_list', 'list.xls.csv');   -- 'list.xls'
     SELECT dba.delivered_name('meetmax_list', 'list.xls');       -- NULL: not loaded by itself
     SELECT dba.delivered_name('visitas', 'report_7.txt');        -- 'report_7.txt'
   NULL when the job loads nothing under that name (a workbook job loads only <name>.csv).
   A path works too. Raises FD001 (unknown job).
*/
DECLARE
    v_type text;
BEGIN
    SELECT c.file_type INTO v_type FROM dba.timportconfig c WHERE c.job_name = p_job;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'job % does not exist', quote_literal(p_job)
              USING ERRCODE = 'FD001', HINT = 'SELECT job_name FROM dba.timportconfig;';
    END IF;
    IF NOT dba._is_workbook_type(v_type) THEN
        RETURN p_processing_name;
    END IF;
    RETURN CASE WHEN p_processing_name ~ '.\.csv$' THEN left(p_processing_name, -4) END;
END
$function$;

ALTER FUNCTION dba.delivered_name(text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.delivered_name(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.delivered_name(text, text) TO feeds_etl;
COMMENT ON FUNCTION dba.delivered_name(text, text) IS
'Inverse of dba.processing_name(): the delivered file name (or path) that a name in the job''s processing directory is loaded for, the name without .csv for a workbook job, the name itself otherwise; NULL when the job loads nothing under that name. Raises FD001 (unknown job).';

COMMIT;
