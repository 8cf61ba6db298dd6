-- Revert feeds:table_dba_tdataloads_client_name from pg
BEGIN;

ALTER TABLE dba.tdataloads DROP COLUMN client_name;

COMMIT;
