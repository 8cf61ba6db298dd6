-- Revert feeds:table_dba_tloadstatus from pg
BEGIN;

DROP TABLE dba.tloadstatus;

COMMIT;
