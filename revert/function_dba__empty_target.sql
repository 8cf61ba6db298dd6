-- Revert feeds:function_dba__empty_target from pg
BEGIN;

DROP FUNCTION dba._empty_target(bigint, regclass);

COMMIT;
