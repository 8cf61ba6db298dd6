-- Revert feeds:function_dba__check_job_target from pg
BEGIN;

DROP FUNCTION dba._check_job_target(dba.timportconfig);

COMMIT;
