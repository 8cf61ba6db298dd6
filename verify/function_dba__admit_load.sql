-- Verify feeds:function_dba__admit_load on pg
SELECT 'dba._admit_load(bigint)'::regprocedure;
