-- Verify feeds:function_dba_finish_load on pg
SELECT 'dba.finish_load(bigint, boolean)'::regprocedure;
