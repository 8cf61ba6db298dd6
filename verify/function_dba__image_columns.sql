-- Verify feeds:function_dba__image_columns on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._image_columns(regclass, regclass, boolean)'::regprocedure
   AND NOT has_function_privilege('feeds_etl', oid, 'execute');
