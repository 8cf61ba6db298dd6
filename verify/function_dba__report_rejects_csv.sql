-- Verify feeds:function_dba__report_rejects_csv on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._report_rejects_csv(uuid, text)'::regprocedure AND proowner = 'feeds_owner'::regrole;
