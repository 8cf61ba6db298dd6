-- Verify feeds:function_dba__fail_load on pg
SELECT 'dba._fail_load(bigint, text, text, boolean, uuid)'::regprocedure;
