-- Revert feeds:table_meetmax_url_check from pg
BEGIN;

DROP TABLE meetmax.url_check;

COMMIT;
