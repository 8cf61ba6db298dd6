-- Verify feeds:function_dba__html_escape on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._html_escape(text)'::regprocedure AND proowner = 'feeds_owner'::regrole;
