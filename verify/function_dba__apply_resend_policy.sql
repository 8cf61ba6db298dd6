-- Verify feeds:function_dba__apply_resend_policy on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._apply_resend_policy(bigint)'::regprocedure
   AND NOT has_function_privilege('feeds_etl', oid, 'execute');
