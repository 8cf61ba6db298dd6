-- Revert feeds:function_dba__report_rejects_csv from pg
BEGIN;

DROP FUNCTION dba._report_rejects_csv(uuid, text);

COMMIT;
