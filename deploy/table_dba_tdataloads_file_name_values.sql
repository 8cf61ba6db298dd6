-- Deploy feeds:table_dba_tdataloads_file_name_values to pg
-- requires: table_dba_tdataloads
BEGIN;

ALTER TABLE dba.tdataloads ADD COLUMN file_name_values jsonb NOT NULL DEFAULT '{}'::jsonb;
COMMENT ON COLUMN dba.tdataloads.file_name_values IS
'The values the job''s column map takes from the file name (from_file_name), target column -> value, e.g. {"event_id": "200005"}; {} when it takes none. Part of what the job loads: exactly once by sha256 and these values.';

-- Exactly once by what the job loads: one live (pending or loaded) row per job, sha256 and
-- values taken from the file name. The same list for two events is two loads.
DROP INDEX dba.tdataloads_config_sha256_key;
CREATE UNIQUE INDEX tdataloads_config_sha256_key ON dba.tdataloads (config_id, sha256, file_name_values)
    WHERE status IN ('pending', 'loaded', 'loaded_with_rejects');
COMMENT ON INDEX dba.tdataloads_config_sha256_key IS
'Exactly once by what the job loads: one live load per job, content (sha256) and values taken from the file name.';

-- The live loads of a job under a file name, asked for every file (dba._apply_resend_policy).
CREATE INDEX tdataloads_config_file_name_idx ON dba.tdataloads (config_id, file_name)
    WHERE status IN ('loaded', 'loaded_with_rejects');
COMMENT ON INDEX dba.tdataloads_config_file_name_idx IS
'The live loads of a job under a file name: what a re-send of that name supersedes or is refused by.';

COMMIT;
