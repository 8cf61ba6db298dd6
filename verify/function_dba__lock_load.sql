-- Verify feeds:function_dba__lock_load on pg
SELECT 'dba._lock_load(bigint)'::regprocedure;
