-- Deploy feeds:function_dba_processing_name to pg
-- Generated from db/functions/dba.processing_name.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.processing_name: the name under which a job's file is loaded from its processing directory.
CREATE OR REPLACE FUNCTION dba.processing_name(p_job text, p_file_name text)
RETURNS text
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the watcher (where to put the converted CSV) and the engine:
     SELECT dba.processing_name('meetmax_list', 'list.xls');   -- 'list.xls.csv'
     SELECT dba.processing_name('visitas', 'report_7.txt');    -- 'report_7.txt'
   The one place of the rule: a workbook job's file (dba._is_workbook_type) is converted and
   loaded as <name>.csv next to it; any other job's file is loaded as it is. A path works too
   (the rule is on the end of the name). dba.delivered_name() is the inverse.
   Raises FD001 (unknown job).
*/
DECLARE
    v_type text;
BEGIN
    SELECT c.file_type INTO v_type FROM dba.timportconfig c WHERE c.job_name = p_job;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'job % does not exist', quote_literal(p_job)
              USING ERRCODE = 'FD001', HINT = 'SELECT job_name FROM dba.timportconfig;';
    END IF;
    RETURN p_file_name || CASE WHEN dba._is_workbook_type(v_type) THEN '.csv' ELSE '' END;
END
$function$;

ALTER FUNCTION dba.processing_name(text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.processing_name(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.processing_name(text, text) TO feeds_etl;
COMMENT ON FUNCTION dba.processing_name(text, text) IS
'The name (or path) in the processing directory from which the job loads a file delivered as p_file_name: <name>.csv, the converted CSV next to the original, for a workbook job; the name itself otherwise. The one place of that rule; dba.delivered_name() is its inverse. Raises FD001 (unknown job).';

COMMIT;
