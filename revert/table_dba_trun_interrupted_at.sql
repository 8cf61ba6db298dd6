-- Revert feeds:table_dba_trun_interrupted_at from pg
BEGIN;

ALTER TABLE dba.trun DROP COLUMN interrupted_at;

COMMIT;
