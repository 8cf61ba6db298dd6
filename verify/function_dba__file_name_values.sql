-- Verify feeds:function_dba__file_name_values on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._file_name_values(dba.timportconfig, text)'::regprocedure
   AND NOT has_function_privilege('feeds_etl', oid, 'execute');
