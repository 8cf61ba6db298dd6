-- Revert feeds:index_dba_tdataloads_config_chunk_sha256_key from pg
BEGIN;

DROP INDEX dba.tdataloads_config_chunk_sha256_key;

COMMIT;
