-- Verify feeds:function_dba__stage_file on pg
SELECT 'dba._stage_file(bigint, text, boolean)'::regprocedure;
