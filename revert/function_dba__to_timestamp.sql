-- Revert feeds:function_dba__to_timestamp from pg
BEGIN;

DROP FUNCTION dba._to_timestamp(text, text);

COMMIT;
