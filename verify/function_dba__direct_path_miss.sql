-- Verify feeds:function_dba__direct_path_miss on pg
SELECT 'dba._direct_path_miss()'::regprocedure;
