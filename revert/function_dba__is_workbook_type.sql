-- Revert feeds:function_dba__is_workbook_type from pg
BEGIN;

DROP FUNCTION dba._is_workbook_type(text);

COMMIT;
