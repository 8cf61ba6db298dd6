-- Verify feeds:function_meetmax_finish_download on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'meetmax.finish_download(bigint, text)'::regprocedure
   AND has_function_privilege('feeds_etl', oid, 'execute');
