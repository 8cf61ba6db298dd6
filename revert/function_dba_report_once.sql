-- Revert feeds:function_dba_report_once from pg
BEGIN;

DROP FUNCTION dba.report_once(text, text, bigint, bigint, text);

COMMIT;
