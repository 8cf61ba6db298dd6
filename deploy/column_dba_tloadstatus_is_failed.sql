-- Deploy feeds:column_dba_tloadstatus_is_failed to pg
-- requires: table_dba_tloadstatus
BEGIN;

-- What a shim does with a load of each status, so that no shim spells a status out.
ALTER TABLE dba.tloadstatus
    ADD COLUMN is_failed boolean NOT NULL DEFAULT false,
    ADD COLUMN log_level text NOT NULL DEFAULT 'info'
        CONSTRAINT tloadstatus_log_level_check CHECK (log_level IN ('info', 'warning', 'error'));
UPDATE dba.tloadstatus SET is_failed = (status = 'failed'),
       log_level = CASE status WHEN 'failed' THEN 'error'
                               WHEN 'pending' THEN 'warning' WHEN 'loaded_with_rejects' THEN 'warning'
                               WHEN 'undone' THEN 'warning' ELSE 'info' END;
ALTER TABLE dba.tloadstatus ALTER COLUMN is_failed DROP DEFAULT, ALTER COLUMN log_level DROP DEFAULT;
COMMENT ON COLUMN dba.tloadstatus.is_failed IS
'Nothing was loaded because of an error: the runner quarantines the file in failed_dir with its reason (the others of a final status go to archive_dir), and the shim that loaded it exits 1.';
COMMENT ON COLUMN dba.tloadstatus.log_level IS
'The dba.log() level a shim logs a load that ended so: info, warning (rows rejected, undone, still pending) or error (failed).';

COMMIT;
