-- Verify feeds:function_dba_forget_reported on pg
SELECT 'dba.forget_reported(text, text[])'::regprocedure;
