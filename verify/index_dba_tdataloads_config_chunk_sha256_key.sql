-- Verify feeds:index_dba_tdataloads_config_chunk_sha256_key on pg
SELECT 1/count(*) FROM pg_index i
 WHERE i.indexrelid = 'dba.tdataloads_config_chunk_sha256_key'::regclass AND i.indisunique AND i.indpred IS NOT NULL;
