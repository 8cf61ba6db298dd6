-- Verify feeds:function_dba_run_import on pg
SELECT 'dba.run_import(text, text, boolean, uuid)'::regprocedure;
