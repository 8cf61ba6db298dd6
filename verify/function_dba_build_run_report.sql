-- Verify feeds:function_dba_build_run_report on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba.build_run_report(uuid, text)'::regprocedure AND proowner = 'feeds_owner'::regrole;
