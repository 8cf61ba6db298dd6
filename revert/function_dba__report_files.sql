-- Revert feeds:function_dba__report_files from pg
BEGIN;

DROP FUNCTION dba._report_files(uuid, text, integer);

COMMIT;
