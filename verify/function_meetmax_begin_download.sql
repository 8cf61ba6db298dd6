-- Verify feeds:function_meetmax_begin_download on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'meetmax.begin_download(uuid, integer, text, bigint, text, text, text, text, boolean)'::regprocedure
   AND has_function_privilege('feeds_etl', oid, 'execute');
