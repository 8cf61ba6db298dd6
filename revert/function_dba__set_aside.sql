-- Revert feeds:function_dba__set_aside from pg
BEGIN;

DROP FUNCTION dba._set_aside(bigint, bigint);

COMMIT;
