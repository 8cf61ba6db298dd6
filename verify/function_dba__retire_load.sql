-- Verify feeds:function_dba__retire_load on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._retire_load(bigint, bigint)'::regprocedure
   AND NOT has_function_privilege('feeds_etl', oid, 'execute');
