-- Revert feeds:table_dba_tdataloads_emptied_target from pg
BEGIN;

ALTER TABLE dba.tdataloads DROP COLUMN emptied_target;

COMMIT;
