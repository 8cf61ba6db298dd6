-- Verify feeds:function_dba__report_files on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._report_files(uuid, text, integer)'::regprocedure AND proowner = 'feeds_owner'::regrole;
