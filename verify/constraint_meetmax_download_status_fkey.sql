-- Verify feeds:constraint_meetmax_download_status_fkey on pg
SELECT 1 / count(*) FROM pg_constraint WHERE conname = 'download_status_fkey' AND conrelid = 'meetmax.download'::regclass;
