-- Revert feeds:table_dba_tloaderror from pg
BEGIN;

DROP TABLE dba.tloaderror;

COMMIT;
