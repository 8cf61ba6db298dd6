-- Revert feeds:table_dba_tlogentry from pg
BEGIN;

DROP TABLE dba.tlogentry;

COMMIT;
