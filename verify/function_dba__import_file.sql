-- Verify feeds:function_dba__import_file on pg
SELECT 'dba._import_file(dba.timportconfig, dba.tdataloads, text, boolean, uuid)'::regprocedure;
