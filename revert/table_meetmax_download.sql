-- Revert feeds:table_meetmax_download from pg
BEGIN;

DROP TABLE meetmax.download;

COMMIT;
