-- Revert feeds:function_dba__lock_load from pg
BEGIN;

DROP FUNCTION dba._lock_load(bigint);

COMMIT;
