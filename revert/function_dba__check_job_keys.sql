-- Revert feeds:function_dba__check_job_keys from pg
BEGIN;

DROP FUNCTION dba._check_job_keys(dba.timportconfig, regclass, text[]);

COMMIT;
