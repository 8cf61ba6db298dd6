-- Deploy feeds:table_dba_tdataloads to pg
-- requires: table_dba_timportconfig
-- requires: table_dba_trun
BEGIN;

CREATE TABLE dba.tdataloads (
    load_id        bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT tdataloads_pkey PRIMARY KEY,
    run_uuid       uuid CONSTRAINT tdataloads_run_uuid_fkey REFERENCES dba.trun (run_uuid),
    config_id      integer NOT NULL CONSTRAINT tdataloads_config_id_fkey REFERENCES dba.timportconfig (config_id),
    job_name       text NOT NULL,
    file_name      text NOT NULL,
    file_path      text,
    file_size      bigint CONSTRAINT tdataloads_file_size_check CHECK (file_size >= 0),
    sha256         text CONSTRAINT tdataloads_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    status         text NOT NULL DEFAULT 'pending'
                   CONSTRAINT tdataloads_status_check
                   CHECK (status IN ('pending', 'loaded', 'loaded_with_rejects', 'failed', 'duplicate', 'undone')),
    rows_read      bigint NOT NULL DEFAULT 0,
    rows_inserted  bigint NOT NULL DEFAULT 0,
    rows_updated   bigint NOT NULL DEFAULT 0,
    rows_rejected  bigint NOT NULL DEFAULT 0,
    error_sqlstate text,
    error_message  text,
    duplicate_of   bigint CONSTRAINT tdataloads_duplicate_of_fkey REFERENCES dba.tdataloads (load_id),
    way_in         text NOT NULL DEFAULT 'server'
                   CONSTRAINT tdataloads_way_in_check CHECK (way_in IN ('server', 'client')),
    file_location  text,
    started_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at    timestamptz
);

-- Exactly once by content: one live (pending or loaded) row per job and sha256.
CREATE UNIQUE INDEX tdataloads_config_sha256_key ON dba.tdataloads (config_id, sha256)
    WHERE status IN ('pending', 'loaded', 'loaded_with_rejects');
CREATE INDEX tdataloads_sha256_idx ON dba.tdataloads (sha256);
CREATE INDEX tdataloads_run_uuid_idx ON dba.tdataloads (run_uuid);
CREATE INDEX tdataloads_job_started_idx ON dba.tdataloads (job_name, started_at DESC);

ALTER TABLE dba.tdataloads OWNER TO feeds_owner;
GRANT SELECT ON dba.tdataloads TO feeds_etl, feeds_reader;

COMMENT ON TABLE dba.tdataloads IS 'One row per file attempt: what was loaded, from which file (sha256), by which job and run, with counts and the failure if any. The same content loads once per job.';
COMMENT ON COLUMN dba.tdataloads.load_id IS 'Identifier of the attempt; every loaded row carries it in its load_id column.';
COMMENT ON COLUMN dba.tdataloads.run_uuid IS 'Run this attempt belongs to.';
COMMENT ON COLUMN dba.tdataloads.config_id IS 'Job (dba.timportconfig) that took the file.';
COMMENT ON COLUMN dba.tdataloads.job_name IS 'Job name at the time of the load.';
COMMENT ON COLUMN dba.tdataloads.file_name IS 'File name as it arrived (no directory).';
COMMENT ON COLUMN dba.tdataloads.file_path IS 'Path the engine read the file from (NULL for client COPY).';
COMMENT ON COLUMN dba.tdataloads.file_size IS 'File size in bytes.';
COMMENT ON COLUMN dba.tdataloads.sha256 IS 'SHA-256 of the file content, lower-case hex.';
COMMENT ON COLUMN dba.tdataloads.status IS 'pending, loaded, loaded_with_rejects, failed, duplicate or undone.';
COMMENT ON COLUMN dba.tdataloads.rows_read IS 'Data rows read from the file (header and skipped lines excluded).';
COMMENT ON COLUMN dba.tdataloads.rows_inserted IS 'Rows inserted into the target table.';
COMMENT ON COLUMN dba.tdataloads.rows_updated IS 'Rows updated in the target table (upsert).';
COMMENT ON COLUMN dba.tdataloads.rows_rejected IS 'Rows rejected by validation (see dba.tloaderror).';
COMMENT ON COLUMN dba.tdataloads.error_sqlstate IS 'SQLSTATE of the failure (FDxxx for Feeds'' own conditions).';
COMMENT ON COLUMN dba.tdataloads.error_message IS 'Failure message, naming the file, line and column where known.';
COMMENT ON COLUMN dba.tdataloads.duplicate_of IS 'For status duplicate: the load that already loaded the same content.';
COMMENT ON COLUMN dba.tdataloads.way_in IS 'server (server-side COPY of a file) or client (COPY FROM STDIN through dba.begin_load).';
COMMENT ON COLUMN dba.tdataloads.file_location IS 'Where the file lies now (archive or failed path), set by the runner after the move.';
COMMENT ON COLUMN dba.tdataloads.started_at IS 'When the attempt started.';
COMMENT ON COLUMN dba.tdataloads.finished_at IS 'When the attempt finished.';

COMMIT;
