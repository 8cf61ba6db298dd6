-- Revert feeds:function_dba_fail_client_load from pg
BEGIN;

DROP FUNCTION dba.fail_client_load(bigint, text, text);

COMMIT;
