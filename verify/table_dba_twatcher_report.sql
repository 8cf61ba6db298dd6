-- Verify feeds:table_dba_twatcher_report on pg
SELECT inbox_dir, file_name, file_size, mtime_ns, reason, reported_at FROM dba.twatcher_report WHERE false;
