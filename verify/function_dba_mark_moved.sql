-- Verify feeds:function_dba_mark_moved on pg
SELECT 'dba.mark_moved(bigint, text)'::regprocedure;
