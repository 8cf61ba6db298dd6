-- Verify feeds:function_meetmax_events_to_download on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'meetmax.events_to_download(integer[])'::regprocedure
   AND has_function_privilege('feeds_etl', oid, 'execute');
