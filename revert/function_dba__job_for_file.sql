-- Revert feeds:function_dba__job_for_file from pg
BEGIN;

DROP FUNCTION dba._job_for_file(text, text);

COMMIT;
