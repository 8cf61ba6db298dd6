-- Revert feeds:function_dba__csv_line_regex from pg
BEGIN;

DROP FUNCTION dba._csv_line_regex(text, text);

COMMIT;
