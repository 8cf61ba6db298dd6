-- Verify feeds:column_dba_tdataloads_chunk_sha256 on pg
SELECT chunk_sha256, chunk_size FROM dba.tdataloads WHERE false;
DO $$ BEGIN ASSERT (SELECT count(*) FROM pg_constraint
                     WHERE conname IN ('tdataloads_chunk_sha256_check', 'tdataloads_chunk_size_check', 'tdataloads_chunk_digest_check')) = 3; END $$;
