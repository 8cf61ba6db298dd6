-- Verify feeds:function_dba__timportconfig_check on pg
SELECT 'dba._timportconfig_check()'::regprocedure;
