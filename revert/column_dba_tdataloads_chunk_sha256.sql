-- Revert feeds:column_dba_tdataloads_chunk_sha256 from pg
BEGIN;

ALTER TABLE dba.tdataloads DROP CONSTRAINT tdataloads_chunk_digest_check, DROP COLUMN chunk_size, DROP COLUMN chunk_sha256;

COMMIT;
