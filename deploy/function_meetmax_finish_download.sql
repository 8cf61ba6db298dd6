-- Deploy feeds:function_meetmax_finish_download to pg
-- Generated from db/functions/meetmax.finish_download.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- meetmax.finish_download: confirm that a list was saved into the inbox.
-- requires: table_meetmax_download
CREATE OR REPLACE FUNCTION meetmax.finish_download(p_download_id bigint, p_file_name text)
RETURNS meetmax.download
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the downloader, after the file is in place:
     SELECT * FROM meetmax.finish_download(42, '20260101T000000_MeetMax_119179.xls');
   Marks the download saved under that name. Raises FD001 when the download does not exist or
   is not waiting to be saved.
*/
DECLARE
    v_row meetmax.download;
BEGIN
    UPDATE meetmax.download d SET status = 'saved', file_name = p_file_name, reason = p_file_name
     WHERE d.download_id = p_download_id AND d.status = 'to_save'
    RETURNING * INTO v_row;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'download % is not waiting to be saved', p_download_id USING ERRCODE = 'FD001',
              HINT = 'Ask meetmax.begin_download() first; only a to_save download can be finished.';
    END IF;
    RETURN v_row;
END
$function$;

ALTER FUNCTION meetmax.finish_download(bigint, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION meetmax.finish_download(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meetmax.finish_download(bigint, text) TO feeds_etl;
COMMENT ON FUNCTION meetmax.finish_download(bigint, text) IS
'Confirms that a to_save download (meetmax.begin_download) was saved into the inbox under the file name given. Raises FD001 when it is not waiting to be saved.';

COMMIT;
