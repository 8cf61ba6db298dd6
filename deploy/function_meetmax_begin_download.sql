-- Deploy feeds:function_meetmax_begin_download to pg
-- Generated from db/functions/meetmax.begin_download.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- meetmax.begin_download: the database's verdict on one fetched company list.
-- requires: table_meetmax_download
-- requires: table_dba_tdataloads_file_name_values
CREATE OR REPLACE FUNCTION meetmax.begin_download(
    p_run_uuid     uuid,
    p_event_id     integer,
    p_url          text,
    p_bytes        bigint,
    p_sha256       text,
    p_content_kind text,
    p_cells_sha256 text,
    p_problem      text DEFAULT NULL,
    p_failed       boolean DEFAULT false
) RETURNS TABLE (download_id bigint, status text, reason text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the downloader (ask, act, confirm):
     SELECT * FROM meetmax.begin_download(run, 119179, url, 5120, sha, 'ole2', cells_sha);
     -- status to_save: write the file, then
     SELECT meetmax.finish_download(download_id, '20260101T000000_MeetMax_119179.xls');
   p_problem: what the shim saw in the content (a login page, an HTML page without a table) or,
   with p_failed, why nothing came back. Otherwise, in this order: under 1024 bytes is refused;
   the same bytes already saved for this event, or loaded by meetmax_company_list for this event
   (sha256 and event id, the engine's exactly-once key), is a duplicate; the same cells as the
   event's last saved list (an XLSX written again with new bytes) is unchanged; else to_save.
   Every verdict is a row of meetmax.download. Raises 22023 for a malformed sha256.
*/
DECLARE
    c_min_bytes CONSTANT bigint := 1024;
    v_status text;
    v_reason text;
    v_prev   meetmax.download;
BEGIN
    SELECT * INTO v_prev FROM meetmax.download d
     WHERE d.event_id = p_event_id AND d.status = 'saved' ORDER BY d.download_id DESC LIMIT 1;
    IF p_failed THEN
        v_status := 'failed'; v_reason := p_problem;
    ELSIF p_problem IS NOT NULL THEN
        v_status := 'refused'; v_reason := p_problem;
    ELSIF p_bytes < c_min_bytes THEN
        v_status := 'refused'; v_reason := format('only %s bytes (under %s); not a real list', p_bytes, c_min_bytes);
    ELSIF EXISTS (SELECT 1 FROM meetmax.download d WHERE d.event_id = p_event_id AND d.sha256 = p_sha256 AND d.status = 'saved')
       OR EXISTS (SELECT 1 FROM dba.tdataloads l
                   WHERE l.job_name = 'meetmax_company_list' AND l.sha256 = p_sha256
                     AND l.file_name_values ->> 'event_id' = p_event_id::text
                     AND l.status IN ('pending', 'loaded', 'loaded_with_rejects')) THEN
        v_status := 'duplicate'; v_reason := 'the same content was downloaded before for this event';
    ELSIF p_cells_sha256 IS NOT NULL AND v_prev.cells_sha256 = p_cells_sha256 THEN
        v_status := 'unchanged';
        v_reason := format('the same cells as %s (other bytes); not saved again', v_prev.file_name);
    ELSE
        v_status := 'to_save';
    END IF;
    INSERT INTO meetmax.download AS d (run_uuid, event_id, download_url, status, bytes, sha256, content_kind,
                                       cells_sha256, reason)
    VALUES (p_run_uuid, p_event_id, p_url, v_status, p_bytes, lower(p_sha256), p_content_kind,
            lower(p_cells_sha256), v_reason)
    RETURNING d.download_id, d.status, d.reason INTO download_id, status, reason;
    RETURN NEXT;
EXCEPTION WHEN check_violation THEN
    RAISE EXCEPTION 'event %: sha256 values must be 64 hex digits', p_event_id USING ERRCODE = '22023';
END
$function$;

ALTER FUNCTION meetmax.begin_download(uuid, integer, text, bigint, text, text, text, text, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION meetmax.begin_download(uuid, integer, text, bigint, text, text, text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meetmax.begin_download(uuid, integer, text, bigint, text, text, text, text, boolean) TO feeds_etl;
COMMENT ON FUNCTION meetmax.begin_download(uuid, integer, text, bigint, text, text, text, text, boolean) IS
'The verdict on one fetched company list, recorded in meetmax.download: failed or refused (the shim''s finding, or under 1024 bytes), duplicate (the same bytes saved or loaded before for this event), unchanged (the same cells as the event''s last saved list), or to_save (write it, then meetmax.finish_download). Raises 22023 for a malformed sha256.';

COMMIT;
