-- Verify feeds:function_dba__registration_to_import on pg
SELECT 'dba._registration_to_import(dba.timportconfig, text, uuid)'::regprocedure;
