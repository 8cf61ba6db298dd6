-- Verify feeds:function_dba__report_rejects on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._report_rejects(uuid, text)'::regprocedure AND proowner = 'feeds_owner'::regrole;
