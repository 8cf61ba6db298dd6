-- Verify feeds:table_meetmax_url_check on pg
SELECT event_id, url, if_exists, is_private, invalid_event_id, is_downloadable, download_link,
       status_code, title, checked_at, load_id
  FROM meetmax.url_check
 WHERE false;
SELECT 1/count(*) FROM pg_class WHERE oid = 'meetmax.url_check'::regclass AND relowner = 'feeds_owner'::regrole;
SELECT 1/count(*) FROM pg_constraint WHERE conname = 'url_check_event_id_key' AND contype = 'u';
