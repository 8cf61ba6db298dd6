-- Verify feeds:function_dba__kept_images on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._kept_images(bigint, regclass, bigint, bigint[])'::regprocedure
   AND NOT has_function_privilege('feeds_etl', oid, 'execute');
