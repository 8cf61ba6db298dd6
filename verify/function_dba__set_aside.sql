-- Verify feeds:function_dba__set_aside on pg
SELECT 'dba._set_aside(bigint, bigint)'::regprocedure;
