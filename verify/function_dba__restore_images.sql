-- Verify feeds:function_dba__restore_images on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._restore_images(bigint, regclass)'::regprocedure
   AND NOT has_function_privilege('feeds_etl', oid, 'execute');
