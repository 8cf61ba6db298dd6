-- Verify feeds:function_dba__load_message on pg
SELECT 'dba._load_message(dba.tdataloads, boolean)'::regprocedure;
