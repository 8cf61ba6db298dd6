-- Verify feeds:function_dba__close_load on pg
SELECT 'dba._close_load(bigint, dba.timportconfig, bigint, bigint, bigint, bigint)'::regprocedure;
