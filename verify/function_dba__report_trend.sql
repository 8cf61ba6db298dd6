-- Verify feeds:function_dba__report_trend on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._report_trend(uuid, text, integer)'::regprocedure AND proowner = 'feeds_owner'::regrole;
