-- Verify feeds:table_meetmax_download on pg
SELECT download_id, run_uuid, event_id, download_url, status, bytes, sha256, content_kind, cells_sha256, file_name,
       reason, downloaded_at
  FROM meetmax.download WHERE false;
