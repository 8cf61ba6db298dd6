-- Verify feeds:function_dba__report_csv_field on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._report_csv_field(text)'::regprocedure AND proowner = 'feeds_owner'::regrole;
