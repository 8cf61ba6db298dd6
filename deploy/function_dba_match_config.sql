-- Deploy feeds:function_dba_match_config to pg
-- Generated from db/functions/dba.match_config.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.match_config: which job takes a file name.
CREATE OR REPLACE FUNCTION dba.match_config(p_file_name text)
RETURNS SETOF dba.timportconfig
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql:
     SELECT job_name, processing_dir FROM dba.match_config('report_20240101.txt');
   No row: no enabled job takes the name. FD002: two enabled jobs of the same (best) priority
   match it. FD011: the name is not a plain file name.
*/
DECLARE
    v_jobs dba.timportconfig[];
BEGIN
    PERFORM dba._check_file_name(p_file_name);
    SELECT array_agg(c ORDER BY c.priority, c.job_name) INTO v_jobs
      FROM dba.timportconfig c
     WHERE c.enabled AND p_file_name ~ c.file_pattern;
    IF v_jobs IS NULL THEN
        RETURN;
    END IF;
    IF cardinality(v_jobs) > 1 AND v_jobs[1].priority = v_jobs[2].priority THEN
        RAISE EXCEPTION 'file % matches two jobs of priority %: % and %', quote_literal(p_file_name),
              v_jobs[1].priority, v_jobs[1].job_name, v_jobs[2].job_name
              USING ERRCODE = 'FD002',
                    HINT = 'Make the patterns exclusive, or give one job a lower priority number.';
    END IF;
    RETURN NEXT v_jobs[1];
END
$function$;

ALTER FUNCTION dba.match_config(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.match_config(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.match_config(text) TO feeds_etl;
COMMENT ON FUNCTION dba.match_config(text) IS
'Returns the enabled job whose file_pattern matches the file name (lowest priority number wins), or no row. Raises FD002 when two enabled jobs of the same best priority match, FD011 for an unsafe name.';

COMMIT;
