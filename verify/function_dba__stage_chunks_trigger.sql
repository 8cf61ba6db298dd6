-- Verify feeds:function_dba__stage_chunks_trigger on pg
SELECT 'dba._stage_chunks_trigger()'::regprocedure;
