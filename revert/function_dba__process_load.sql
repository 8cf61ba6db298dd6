-- Revert feeds:function_dba__process_load from pg
BEGIN;

DROP FUNCTION dba._process_load(bigint, boolean);

COMMIT;
