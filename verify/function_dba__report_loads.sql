-- Verify feeds:function_dba__report_loads on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._report_loads(uuid, text)'::regprocedure AND proowner = 'feeds_owner'::regrole;
