-- Deploy feeds:function_dba_sftp_to_download to pg
-- Generated from db/functions/dba.sftp_to_download.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.sftp_to_download: which files of a remote listing `feeds sftp pull` should download.
CREATE OR REPLACE FUNCTION dba.sftp_to_download(
    p_source text,
    p_files  jsonb,
    p_job    text DEFAULT NULL
) RETURNS TABLE (remote_name text, job_name text, skip_reason text)
LANGUAGE plpgsql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a shim, with the remote directory's regular files:
     SELECT * FROM dba.sftp_to_download('etl@sftp.example.com:22/outbox',
            '[{"name": "report_7.txt", "size": 1234, "mtime": 1764547200}]');
   A row with skip_reason NULL: download it (it is for job_name). A row with a skip_reason: a name
   that cannot be taken (two jobs match it, or it is not a plain file name); log it. Names no
   enabled job takes (or not p_job), and versions (name, size, mtime) already downloaded from
   p_source, are not returned. Raises 22023 when p_files is not an array of {name, size, mtime}.
*/
DECLARE
    v_file record;
    v_job  text;
BEGIN
    IF jsonb_typeof(p_files) IS DISTINCT FROM 'array' THEN
        RAISE EXCEPTION 'p_files must be a JSON array of {name, size, mtime}' USING ERRCODE = '22023';
    END IF;
    FOR v_file IN
        SELECT f.name, f.size, f.mtime
          FROM jsonb_to_recordset(p_files) AS f(name text, size bigint, mtime bigint)
         WHERE NOT EXISTS (SELECT 1 FROM dba.tsftpdownload d
                            WHERE d.source = p_source AND d.remote_name = f.name
                              AND d.remote_size = f.size AND d.remote_mtime = f.mtime)
         ORDER BY f.name
    LOOP
        IF v_file.name IS NULL OR v_file.size IS NULL OR v_file.mtime IS NULL THEN
            RAISE EXCEPTION 'every file needs a name, a size and an mtime' USING ERRCODE = '22023';
        END IF;
        BEGIN
            SELECT m.job_name INTO v_job FROM dba.match_config(v_file.name) m;
        EXCEPTION WHEN SQLSTATE 'FD002' OR SQLSTATE 'FD011' THEN
            remote_name := v_file.name; job_name := NULL; skip_reason := SQLERRM;
            RETURN NEXT;
            CONTINUE;
        END;
        CONTINUE WHEN v_job IS NULL OR (p_job IS NOT NULL AND v_job <> p_job);
        remote_name := v_file.name; job_name := v_job; skip_reason := NULL;
        RETURN NEXT;
    END LOOP;
END
$function$;

ALTER FUNCTION dba.sftp_to_download(text, jsonb, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.sftp_to_download(text, jsonb, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.sftp_to_download(text, jsonb, text) TO feeds_etl;
COMMENT ON FUNCTION dba.sftp_to_download(text, jsonb, text) IS
'Given a remote listing (JSON array of {name, size, mtime}) from p_source, returns the files to download: those an enabled job (or p_job) takes, in a version not downloaded before; names two jobs match or that are unsafe come back with a skip_reason. Raises 22023 for a malformed listing.';

COMMIT;
