-- Verify feeds:table_dba_tloaderror on pg
SELECT error_id, load_id, line_no, column_name, raw_value, rule, message, raw_line, logged_at
  FROM dba.tloaderror WHERE false;
