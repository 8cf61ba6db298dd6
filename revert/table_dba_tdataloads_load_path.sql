-- Revert feeds:table_dba_tdataloads_load_path from pg
BEGIN;

ALTER TABLE dba.tdataloads DROP COLUMN load_path, DROP COLUMN path_note;

COMMIT;
