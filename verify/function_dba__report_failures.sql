-- Verify feeds:function_dba__report_failures on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._report_failures(uuid, text)'::regprocedure AND proowner = 'feeds_owner'::regrole;
