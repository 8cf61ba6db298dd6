-- Revert feeds:table_meetmax_tdownloadstatus from pg
BEGIN;

DROP TABLE meetmax.tdownloadstatus;

COMMIT;
