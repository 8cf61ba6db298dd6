-- Verify feeds:function_dba__load_file on pg
SELECT 'dba._load_file(bigint, text, boolean, boolean, boolean)'::regprocedure;
