-- Revert feeds:function_dba_fail_changed_load from pg
BEGIN;

DROP FUNCTION dba.fail_changed_load(bigint, text);

COMMIT;
