-- Deploy feeds:constraint_dba_tdataloads_status_fkey to pg
-- requires: table_dba_tdataloads
-- requires: table_dba_tloadstatus
BEGIN;

-- The lookup replaces the list spelled out in the CHECK.
ALTER TABLE dba.tdataloads
    DROP CONSTRAINT tdataloads_status_check,
    ADD CONSTRAINT tdataloads_status_fkey FOREIGN KEY (status) REFERENCES dba.tloadstatus (status);
COMMENT ON COLUMN dba.tdataloads.status IS
'What became of the file: one of dba.tloadstatus (pending, loaded, loaded_with_rejects, failed, duplicate, undone).';

COMMIT;
