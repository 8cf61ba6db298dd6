-- Revert feeds:function_dba__report_trend from pg
BEGIN;

DROP FUNCTION dba._report_trend(uuid, text, integer);

COMMIT;
