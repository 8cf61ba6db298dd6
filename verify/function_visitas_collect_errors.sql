-- Verify feeds:function_visitas_collect_errors on pg
SELECT has_function_privilege('visitas.collect_errors(uuid)', 'execute');
SELECT 1/count(*) FROM pg_proc WHERE oid = 'visitas.collect_errors(uuid)'::regprocedure AND prosecdef;
