-- Revert feeds:table_dba_tclient from pg
BEGIN;

DROP TABLE dba.tclient;

COMMIT;
