-- Revert feeds:table_dba_tundoimages from pg
BEGIN;

DROP TABLE dba.tundoimages;

COMMIT;
