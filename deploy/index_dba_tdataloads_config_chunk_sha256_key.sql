-- Deploy feeds:index_dba_tdataloads_config_chunk_sha256_key to pg
-- requires: column_dba_tdataloads_chunk_sha256
-- requires: table_dba_tdataloads_file_name_values
BEGIN;

-- Exactly once by content by the digest the server verifies: the server checks a file (and a
-- client's stream) against its chunk digest, never the whole-file sha256 (which PostgreSQL cannot
-- compute a chunk at a time), so a registration's sha256 is only its word. One live load per
-- job, chunk digest, chunk size and values taken from the file name, as for the sha256
-- (tdataloads_config_sha256_key): two sessions cannot both register the same bytes, whatever
-- sha256 they give.
CREATE UNIQUE INDEX tdataloads_config_chunk_sha256_key ON dba.tdataloads (config_id, chunk_sha256, chunk_size, file_name_values)
    WHERE status IN ('pending', 'loaded', 'loaded_with_rejects') AND chunk_sha256 IS NOT NULL;
COMMENT ON INDEX dba.tdataloads_config_chunk_sha256_key IS
'Exactly once by what the job loads, by the digest the server verifies: one live load per job, chunk digest (chunk_sha256 with its chunk_size) and values taken from the file name, whatever sha256 a registration gives (dba._register_load makes such a registration a duplicate).';

COMMIT;
