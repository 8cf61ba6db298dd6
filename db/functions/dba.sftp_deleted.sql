-- dba.sftp_deleted: `feeds sftp pull --delete-remote` confirms a remote file is gone.
CREATE OR REPLACE FUNCTION dba.sftp_deleted(p_download_id bigint)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a shim, after deleting the remote file (or finding it gone):
     SELECT dba.sftp_deleted(42);
   Raises P0002 for an unknown download id.
*/
BEGIN
    UPDATE dba.tsftpdownload SET deleted_at = coalesce(deleted_at, clock_timestamp())
     WHERE download_id = p_download_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'download % does not exist', p_download_id USING ERRCODE = 'P0002';
    END IF;
END
$function$;

ALTER FUNCTION dba.sftp_deleted(bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.sftp_deleted(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.sftp_deleted(bigint) TO feeds_etl;
COMMENT ON FUNCTION dba.sftp_deleted(bigint) IS
'Records that the remote file of a download was deleted (or found gone). Raises P0002 for an unknown download id.';
