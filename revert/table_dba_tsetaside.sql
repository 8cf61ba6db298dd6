-- Revert feeds:table_dba_tsetaside from pg
BEGIN;

DROP TABLE dba.tsetaside;

COMMIT;
