-- Revert feeds:function_dba__report_failures from pg
BEGIN;

DROP FUNCTION dba._report_failures(uuid, text);

COMMIT;
