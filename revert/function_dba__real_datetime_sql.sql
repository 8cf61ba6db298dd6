-- Revert feeds:function_dba__real_datetime_sql from pg
BEGIN;

DROP FUNCTION dba._real_datetime_sql(text, text, text, text, text, text);

COMMIT;
