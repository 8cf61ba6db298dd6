-- Revert feeds:table_dba_tdataloads from pg
BEGIN;

DROP TABLE dba.tdataloads;

COMMIT;
