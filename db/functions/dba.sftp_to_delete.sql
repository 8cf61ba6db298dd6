-- dba.sftp_to_delete: which remote files `feeds sftp pull --delete-remote` may delete.
CREATE OR REPLACE FUNCTION dba.sftp_to_delete(p_source text, p_job text DEFAULT NULL)
RETURNS TABLE (download_id bigint, remote_name text, remote_size bigint, remote_mtime bigint)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a shim:
     SELECT * FROM dba.sftp_to_delete('etl@sftp.example.com:22/outbox');
   The downloads from p_source not deleted yet whose content (sha256) a committed load has loaded
   (a status of dba.tloadstatus with is_loaded), of p_job when given. Delete each remote file only
   if its size and mtime are still these, then confirm with dba.sftp_deleted(download_id).
*/
SELECT d.download_id, d.remote_name, d.remote_size, d.remote_mtime
  FROM dba.tsftpdownload d
 WHERE d.source = p_source AND d.deleted_at IS NULL
   AND EXISTS (SELECT 1 FROM dba.tdataloads l JOIN dba.tloadstatus s ON s.status = l.status
                WHERE l.sha256 = d.sha256 AND s.is_loaded AND (p_job IS NULL OR l.job_name = p_job))
 ORDER BY d.remote_name, d.download_id;
$function$;

ALTER FUNCTION dba.sftp_to_delete(text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.sftp_to_delete(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.sftp_to_delete(text, text) TO feeds_etl;
COMMENT ON FUNCTION dba.sftp_to_delete(text, text) IS
'Returns the downloads from p_source, not yet deleted on the server, whose content a committed load (dba.tloadstatus.is_loaded) has loaded, of p_job when given. Raises nothing.';
