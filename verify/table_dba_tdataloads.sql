-- Verify feeds:table_dba_tdataloads on pg
SELECT load_id, run_uuid, config_id, job_name, file_name, file_path, file_size, sha256, status,
       rows_read, rows_inserted, rows_updated, rows_rejected, error_sqlstate, error_message,
       duplicate_of, way_in, file_location, started_at, finished_at
  FROM dba.tdataloads WHERE false;
SELECT 1/count(*) FROM pg_indexes WHERE schemaname = 'dba' AND indexname = 'tdataloads_config_sha256_key';
