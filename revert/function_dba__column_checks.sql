-- Revert feeds:function_dba__column_checks from pg
BEGIN;

DROP FUNCTION dba._column_checks(jsonb, text, text, boolean, regtype, integer);

COMMIT;
