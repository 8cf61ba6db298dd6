-- Verify feeds:function_dba__undo_hook on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._undo_hook(dba.timportconfig, bigint)'::regprocedure
   AND NOT has_function_privilege('feeds_etl', oid, 'execute');
