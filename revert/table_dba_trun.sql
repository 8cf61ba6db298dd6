-- Revert feeds:table_dba_trun from pg
BEGIN;

DROP TABLE dba.trun;

COMMIT;
