-- Revert feeds:function_dba__timestamp_sql from pg
BEGIN;

DROP FUNCTION dba._timestamp_sql(text, text, text);

COMMIT;
