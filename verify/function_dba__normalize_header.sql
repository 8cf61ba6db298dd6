-- Verify feeds:function_dba__normalize_header on pg
SELECT 'dba._normalize_header(text)'::regprocedure;
