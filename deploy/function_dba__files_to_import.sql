-- Deploy feeds:function_dba__files_to_import to pg
-- Generated from db/functions/dba._files_to_import.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._files_to_import: the files in a job's processing directory that the job loads, in name order.
CREATE OR REPLACE FUNCTION dba._files_to_import(p_cfg dba.timportconfig, p_file text, p_run_uuid uuid)
RETURNS TABLE (file_name text, delivered_name text, file_path text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba.run_import() asks it for each enabled job:
     SELECT * FROM dba._files_to_import((SELECT c FROM dba.timportconfig c WHERE job_name = 'visitas'), NULL, <run>);
   Lists p_cfg.processing_dir and returns each entry the job loads: file_name as it lies there,
   delivered_name the name it arrived under (dba.delivered_name: a workbook job's <name>.csv is
   the workbook's name), file_path the full path. Skipped: dot-files, names with '/' or control
   characters, names the job does not load, others than p_file (by either name) when given,
   names dba.match_config gives to another job. Whether a file is registered is not its
   business (dba.run_import decides that, under the file's lock).
   A directory the server cannot list fails this job only: logged as an error, no rows. A name
   two jobs of equal priority match (FD002) is logged as a warning and left waiting. Raises
   nothing of its own.
*/
DECLARE
    v_names text[];
    v_name  text;
    v_match text;
    v_job   text;
BEGIN
    BEGIN
        SELECT array_agg(n ORDER BY n) INTO v_names FROM pg_ls_dir(p_cfg.processing_dir, true, false) AS n;
    EXCEPTION WHEN OTHERS THEN
        PERFORM dba.log(p_run_uuid => p_run_uuid, p_process_type => 'run_import', p_level => 'error',
                        p_message => format('job %s: cannot list %s: %s [%s]', p_cfg.job_name,
                                            p_cfg.processing_dir, SQLERRM, SQLSTATE));
        RETURN;
    END;
    FOREACH v_name IN ARRAY coalesce(v_names, '{}') LOOP
        CONTINUE WHEN v_name ~ '^\.' OR v_name ~ '/' OR v_name ~ '[[:cntrl:]]';
        v_match := dba.delivered_name(p_cfg.job_name, v_name);  -- NULL: not a name the job loads
        CONTINUE WHEN v_match IS NULL;
        CONTINUE WHEN p_file IS NOT NULL AND p_file NOT IN (v_name, v_match);
        BEGIN
            SELECT m.job_name INTO v_job FROM dba.match_config(v_match) m;
        EXCEPTION WHEN SQLSTATE 'FD002' THEN
            PERFORM dba.log(p_run_uuid => p_run_uuid, p_process_type => 'run_import', p_level => 'warning',
                            p_message => format('%s left waiting: %s', v_name, SQLERRM));
            CONTINUE;
        END;
        CONTINUE WHEN v_job IS DISTINCT FROM p_cfg.job_name;
        file_name := v_name; delivered_name := v_match; file_path := p_cfg.processing_dir || '/' || v_name;
        RETURN NEXT;
    END LOOP;
END
$function$;

ALTER FUNCTION dba._files_to_import(dba.timportconfig, text, uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._files_to_import(dba.timportconfig, text, uuid) FROM PUBLIC;
COMMENT ON FUNCTION dba._files_to_import(dba.timportconfig, text, uuid) IS
'Internal: the entries of a job''s processing directory the job loads (name there, name it arrived under, full path), in name order, optionally only one file; an unlistable directory and an ambiguous name (FD002) are logged, not raised. dba.run_import''s listing step. Raises nothing of its own.';

COMMIT;
