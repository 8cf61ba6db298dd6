-- Revert feeds:function_dba__report_status from pg
BEGIN;

DROP FUNCTION dba._report_status(dba.trun, text);

COMMIT;
