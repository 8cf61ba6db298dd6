-- Revert feeds:function_dba__report_style from pg
BEGIN;

DROP FUNCTION dba._report_style(text);

COMMIT;
