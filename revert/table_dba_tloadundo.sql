-- Revert feeds:table_dba_tloadundo from pg
BEGIN;

DROP TABLE dba.tloadundo;

COMMIT;
