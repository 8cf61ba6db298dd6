-- Deploy feeds:table_dba_tdataloads_client_name to pg
-- requires: table_dba_tdataloads
-- requires: table_dba_tclient
BEGIN;

ALTER TABLE dba.tdataloads ADD COLUMN client_name text;
COMMENT ON COLUMN dba.tdataloads.client_name IS
'Client (dba.tclient) whose upload account delivered the file; NULL for files that came another way. Set by dba.set_load_client.';

COMMIT;
