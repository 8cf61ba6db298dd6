-- Verify feeds:function_dba__stage_chunks on pg
SELECT 'dba._stage_chunks(bigint)'::regprocedure;
