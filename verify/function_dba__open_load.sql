-- Verify feeds:function_dba__open_load on pg
SELECT 'dba._open_load(bigint, dba.timportconfig, text, text)'::regprocedure;
