-- Revert feeds:column_dba_tdataloads_reported_in from pg
BEGIN;

ALTER TABLE dba.tdataloads DROP COLUMN reported_in;

COMMIT;
