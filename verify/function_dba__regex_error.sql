-- Verify feeds:function_dba__regex_error on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._regex_error(text)'::regprocedure AND proowner = 'feeds_owner'::regrole;
