-- Revert feeds:column_dba_tloadstatus_is_failed from pg
BEGIN;

ALTER TABLE dba.tloadstatus DROP COLUMN is_failed, DROP COLUMN log_level;

COMMIT;
