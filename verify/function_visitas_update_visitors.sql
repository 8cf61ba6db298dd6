-- Verify feeds:function_visitas_update_visitors on pg
SELECT has_function_privilege('visitas.update_visitors(bigint)', 'execute');
SELECT 1/count(*) FROM pg_proc WHERE oid = 'visitas.update_visitors(bigint)'::regprocedure
   AND NOT has_function_privilege('feeds_etl', oid, 'execute');
