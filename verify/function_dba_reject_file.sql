-- Verify feeds:function_dba_reject_file on pg
SELECT 'dba.reject_file(text, text, text, bigint, text, uuid)'::regprocedure;
