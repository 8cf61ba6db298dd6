-- Verify feeds:function_dba__files_to_import on pg
SELECT 'dba._files_to_import(dba.timportconfig, text, uuid)'::regprocedure;
