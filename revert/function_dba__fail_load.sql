-- Revert feeds:function_dba__fail_load from pg
BEGIN;

DROP FUNCTION dba._fail_load(bigint, text, text, boolean, uuid);

COMMIT;
