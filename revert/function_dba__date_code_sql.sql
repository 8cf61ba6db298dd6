-- Revert feeds:function_dba__date_code_sql from pg
BEGIN;

DROP FUNCTION dba._date_code_sql(text, text, text, text);

COMMIT;
