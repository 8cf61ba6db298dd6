-- Verify feeds:function_dba__report_style on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._report_style(text)'::regprocedure AND proowner = 'feeds_owner'::regrole;
