-- Revert feeds:function_dba__leave_fast_way from pg
BEGIN;

DROP FUNCTION dba._leave_fast_way(bigint, text, text);

COMMIT;
