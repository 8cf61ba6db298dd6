-- Verify feeds:function_dba__check_job_target on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._check_job_target(dba.timportconfig)'::regprocedure AND proowner = 'feeds_owner'::regrole;
