-- Verify feeds:function_dba_processing_name on pg
SELECT 'dba.processing_name(text, text)'::regprocedure;
