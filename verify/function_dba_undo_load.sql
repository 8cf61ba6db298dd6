-- Verify feeds:function_dba_undo_load on pg
SELECT 'dba.undo_load(bigint)'::regprocedure;
