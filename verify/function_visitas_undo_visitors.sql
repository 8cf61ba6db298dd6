-- Verify feeds:function_visitas_undo_visitors on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'visitas.undo_visitors(bigint)'::regprocedure
   AND NOT has_function_privilege('feeds_etl', oid, 'execute');
