-- Verify feeds:table_dba_tlogentry on pg
SELECT log_id, entry_uuid, logged_at, run_uuid, process_type, step_counter, user_name, step_runtime,
       total_runtime, level, load_id, message, replayed
  FROM dba.tlogentry WHERE false;
