-- Revert feeds:function_dba__strict_line_sql from pg
BEGIN;

DROP FUNCTION dba._strict_line_sql(text, text);

COMMIT;
