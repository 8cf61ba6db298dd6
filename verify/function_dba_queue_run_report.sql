-- Verify feeds:function_dba_queue_run_report on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba.queue_run_report(uuid, text[])'::regprocedure AND proowner = 'feeds_owner'::regrole;
