-- Verify feeds:table_dba_timportconfig on pg
SELECT config_id, job_name, enabled, priority, file_pattern, inbox_dir, processing_dir, archive_dir,
       failed_dir, file_type, sheet_name, delimiter, quote_char, encoding, has_header, skip_lines,
       null_markers, target_table, column_map, load_mode, key_columns, duplicate_key_policy,
       header_policy, max_rejects, max_reject_ratio, post_load_hook, report_recipients,
       created_at, updated_at
  FROM dba.timportconfig
 WHERE false;
