-- Verify feeds:function_dba_begin_load on pg
SELECT 'dba.begin_load(text, text, text, bigint, uuid, text, integer)'::regprocedure;
