-- Deploy feeds:column_dba_tdataloads_chunk_sha256 to pg
-- requires: table_dba_tdataloads
BEGIN;

ALTER TABLE dba.tdataloads
    ADD COLUMN chunk_sha256 text
        CONSTRAINT tdataloads_chunk_sha256_check CHECK (chunk_sha256 ~ '^[0-9a-f]{64}$'),
    ADD COLUMN chunk_size integer
        CONSTRAINT tdataloads_chunk_size_check CHECK (chunk_size BETWEEN 1 AND 67108864),
    ADD CONSTRAINT tdataloads_chunk_digest_check CHECK ((chunk_sha256 IS NULL) = (chunk_size IS NULL));
COMMENT ON COLUMN dba.tdataloads.chunk_sha256 IS
'The file''s chunk digest, lower-case hex: the sha256 of the concatenated (binary, 32-byte) sha256 of each chunk_size-byte piece of the file in order, the last one shorter (an empty file: the sha256 of nothing). The watcher computes it in the same read as sha256; dba.run_import checks the file against it reading one chunk at a time (dba._check_registered), which a whole-file sha256 does not allow (PostgreSQL has no incremental sha256 and a bytea holds at most 1 GB). feeds load registers it too (dba.begin_load, 4 MiB chunks, each one COPY row), and the stream is checked against it before its lines are used. The same chunk digest and chunk_size as a live load of the job is the same content whatever the sha256 (tdataloads_config_chunk_sha256_key). NULL for a registration without it (an old caller, a hand registration): such a file (or stream) is checked against sha256 in one read, and refused (FD016) above 1 GB.';
COMMENT ON COLUMN dba.tdataloads.chunk_size IS
'The chunk size in bytes that chunk_sha256 was computed with (1 to 64 MiB; the watcher uses 4 MiB): also what the server reads at a time when it checks the file. NULL exactly when chunk_sha256 is.';

COMMIT;
