-- Revert feeds:constraint_dba_tdataloads_status_fkey from pg
BEGIN;

ALTER TABLE dba.tdataloads
    DROP CONSTRAINT tdataloads_status_fkey,
    ADD CONSTRAINT tdataloads_status_check
        CHECK (status IN ('pending', 'loaded', 'loaded_with_rejects', 'failed', 'duplicate', 'undone'));
COMMENT ON COLUMN dba.tdataloads.status IS 'pending, loaded, loaded_with_rejects, failed, duplicate or undone.';

COMMIT;
