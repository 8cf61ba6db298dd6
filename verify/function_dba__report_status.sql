-- Verify feeds:function_dba__report_status on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._report_status(dba.trun, text)'::regprocedure AND proowner = 'feeds_owner'::regrole;
