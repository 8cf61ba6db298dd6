-- Revert feeds:function_dba__report_rejects from pg
BEGIN;

DROP FUNCTION dba._report_rejects(uuid, text);

COMMIT;
