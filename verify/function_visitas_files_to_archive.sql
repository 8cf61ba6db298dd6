-- Verify feeds:function_visitas_files_to_archive on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'visitas.files_to_archive(text)'::regprocedure
   AND has_function_privilege('feeds_etl', oid, 'execute');
