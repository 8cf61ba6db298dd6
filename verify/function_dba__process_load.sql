-- Verify feeds:function_dba__process_load on pg
SELECT 'dba._process_load(bigint, boolean)'::regprocedure;
