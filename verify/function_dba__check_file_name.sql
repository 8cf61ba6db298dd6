-- Verify feeds:function_dba__check_file_name on pg
SELECT 'dba._check_file_name(text)'::regprocedure;
