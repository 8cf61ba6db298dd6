-- dba.sftp_downloaded: `feeds sftp pull` confirms one download.
CREATE OR REPLACE FUNCTION dba.sftp_downloaded(
    p_source      text,
    p_remote_name text,
    p_remote_size bigint,
    p_remote_mtime bigint,
    p_sha256      text,
    p_local_path  text
) RETURNS bigint
LANGUAGE sql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a shim, after the file is saved whole:
     SELECT dba.sftp_downloaded('etl@sftp.example.com:22/outbox', 'report_7.txt', 1234, 1764547200,
                                '<sha256 hex>', '/tmp/visitas/report_7.txt');
   Returns the download id. Confirming the same version again (a retry) updates that row.
   Raises 23514 for a malformed sha256 or a negative size.
*/
INSERT INTO dba.tsftpdownload AS d (source, remote_name, remote_size, remote_mtime, sha256, local_path)
VALUES (p_source, p_remote_name, p_remote_size, p_remote_mtime, lower(p_sha256), p_local_path)
ON CONFLICT ON CONSTRAINT tsftpdownload_version_key
DO UPDATE SET sha256 = excluded.sha256, local_path = excluded.local_path, downloaded_at = clock_timestamp()
RETURNING d.download_id;
$function$;

ALTER FUNCTION dba.sftp_downloaded(text, text, bigint, bigint, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.sftp_downloaded(text, text, bigint, bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.sftp_downloaded(text, text, bigint, bigint, text, text) TO feeds_etl;
COMMENT ON FUNCTION dba.sftp_downloaded(text, text, bigint, bigint, text, text) IS
'Records that a version (name, size, mtime) of a remote file of p_source was downloaded, with its sha256 and local path; returns the download id (the same one when confirmed again). Raises 23514 for a malformed sha256 or a negative size.';
