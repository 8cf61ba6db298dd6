-- Revert feeds:table_dba_timportconfig_undo_hook from pg
BEGIN;

ALTER TABLE dba.timportconfig DROP COLUMN undo_hook;

COMMIT;
