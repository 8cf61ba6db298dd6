-- Revert feeds:function_dba__split_line from pg
BEGIN;

DROP FUNCTION dba._split_line(text, text, text, boolean);

COMMIT;
