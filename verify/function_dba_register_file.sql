-- Verify feeds:function_dba_register_file on pg
SELECT 'dba.register_file(text, text, text, bigint, uuid, text, integer)'::regprocedure;
