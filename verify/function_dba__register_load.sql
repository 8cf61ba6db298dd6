-- Verify feeds:function_dba__register_load on pg
SELECT 'dba._register_load(dba.timportconfig, text, text, text, bigint, uuid, text, text, integer)'::regprocedure;
