-- Revert feeds:function_dba__retire_load from pg
BEGIN;

DROP FUNCTION dba._retire_load(bigint, bigint);

COMMIT;
