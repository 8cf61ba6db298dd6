-- Verify feeds:function_dba_delivered_name on pg
SELECT 'dba.delivered_name(text, text)'::regprocedure;
