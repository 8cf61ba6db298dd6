-- Verify feeds:function_dba__undo_table on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._undo_table(bigint, regclass)'::regprocedure
   AND NOT has_function_privilege('feeds_etl', oid, 'execute');
