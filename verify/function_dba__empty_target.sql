-- Verify feeds:function_dba__empty_target on pg
SELECT 'dba._empty_target(bigint, regclass)'::regprocedure;
