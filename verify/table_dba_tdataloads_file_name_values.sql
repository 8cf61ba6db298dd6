-- Verify feeds:table_dba_tdataloads_file_name_values on pg
SELECT file_name_values FROM dba.tdataloads WHERE false;
SELECT 1/count(*) FROM pg_indexes
 WHERE schemaname = 'dba' AND indexname = 'tdataloads_config_sha256_key' AND indexdef LIKE '%file_name_values%';
