-- Revert feeds:function_dba__report_loads from pg
BEGIN;

DROP FUNCTION dba._report_loads(uuid, text);

COMMIT;
