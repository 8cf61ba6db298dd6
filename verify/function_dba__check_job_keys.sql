-- Verify feeds:function_dba__check_job_keys on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba._check_job_keys(dba.timportconfig, regclass, text[])'::regprocedure AND proowner = 'feeds_owner'::regrole;
