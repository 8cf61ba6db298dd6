-- Deploy feeds:function_dba_reject_file to pg
-- Generated from db/functions/dba.reject_file.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.reject_file: record a file that failed before the engine could read it.
CREATE OR REPLACE FUNCTION dba.reject_file(
    p_job       text,
    p_file_name text,
    p_sha256    text,
    p_size      bigint,
    p_reason    text,
    p_run_uuid  uuid DEFAULT NULL
) RETURNS dba.tdataloads
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a shim that could not prepare a file (an Excel file that cannot be converted, a name that
   is not UTF-8, a symlink or a file with more than one hard link: those are refused unread, with
   p_sha256 and p_size NULL):
     SELECT * FROM dba.reject_file('meetmax_list', 'list.xls', '<sha256>', 1234,
                                   'not a spreadsheet: looks like a PDF document');
   Records a failed load (FD013) whose file lies in the job's inbox, so dba.files_to_move() sends
   it to the failed directory with its reason and nothing is lost. Idempotent: the same file and
   content, not moved yet, returns the existing row. Raises FD001 (unknown job), FD003 (the job
   does not take that name), FD011 (unsafe name), 22023 (malformed sha256, empty reason).
*/
DECLARE
    v_cfg  dba.timportconfig;
    v_load dba.tdataloads;
    v_path text;
    v_run  uuid;
BEGIN
    IF lower(p_sha256) !~ '^[0-9a-f]{64}$' OR coalesce(btrim(p_reason), '') = '' THEN
        RAISE EXCEPTION 'reject_file needs a 64-hex-digit sha256 (or NULL) and a reason' USING ERRCODE = '22023';
    END IF;
    v_cfg := dba._job_for_file(p_job, p_file_name);
    v_path := v_cfg.inbox_dir || '/' || p_file_name;
    SELECT * INTO v_load FROM dba.tdataloads d
     WHERE d.config_id = v_cfg.config_id AND d.file_path = v_path AND d.sha256 IS NOT DISTINCT FROM lower(p_sha256)
       AND d.status = 'failed' AND d.file_location IS NULL
     ORDER BY d.load_id DESC LIMIT 1;
    IF FOUND THEN
        RETURN v_load;
    END IF;
    v_run := coalesce(p_run_uuid, dba.start_run('reject_file'));
    INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, file_path, file_size, sha256, status,
                                error_sqlstate, error_message, finished_at)
    VALUES (v_run, v_cfg.config_id, v_cfg.job_name, p_file_name, v_path, p_size, lower(p_sha256), 'failed',
            'FD013', format('%s: %s', p_file_name, p_reason), clock_timestamp())
    RETURNING * INTO v_load;
    PERFORM dba.log(p_run_uuid => v_run, p_process_type => 'reject_file', p_load_id => v_load.load_id,
                    p_level => 'error', p_message => format('failed [FD013] %s', v_load.error_message));
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba.reject_file(text, text, text, bigint, text, uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.reject_file(text, text, text, bigint, text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.reject_file(text, text, text, bigint, text, uuid) TO feeds_etl;
COMMENT ON FUNCTION dba.reject_file(text, text, text, bigint, text, uuid) IS
'Records a file a shim could not prepare (e.g. an unconvertible workbook) as a failed load (FD013) in the job''s inbox, so the runner quarantines it with its reason. p_sha256 and p_size are NULL for a file refused unread (a link). Idempotent per file and content. Raises FD001, FD003, FD011, 22023.';

COMMIT;
