-- Deploy feeds:function_meetmax_events_to_download to pg
-- Generated from db/functions/meetmax.events_to_download.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- meetmax.events_to_download: the events whose company list the downloader fetches.
-- requires: table_meetmax_url_check
CREATE OR REPLACE FUNCTION meetmax.events_to_download(p_event_ids integer[] DEFAULT NULL)
RETURNS TABLE (event_id integer, url text, download_link text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql or the downloader:
     SELECT * FROM meetmax.events_to_download();                  -- every downloadable event
     SELECT * FROM meetmax.events_to_download('{119179,119183}');  -- only these
   The events the latest check found downloadable, with their page (the Referer) and list URL.
*/
SELECT u.event_id, u.url, u.download_link
  FROM meetmax.url_check u
 WHERE u.is_downloadable AND u.download_link IS NOT NULL
   AND (p_event_ids IS NULL OR u.event_id = ANY (p_event_ids))
 ORDER BY u.event_id;
$function$;

ALTER FUNCTION meetmax.events_to_download(integer[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION meetmax.events_to_download(integer[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION meetmax.events_to_download(integer[]) TO feeds_etl;
COMMENT ON FUNCTION meetmax.events_to_download(integer[]) IS
'The events whose company list feeds meetmax download fetches: downloadable in meetmax.url_check with a link, optionally only the ids given. Raises nothing.';

COMMIT;
