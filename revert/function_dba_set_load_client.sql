-- Revert feeds:function_dba_set_load_client from pg
BEGIN;

DROP FUNCTION dba.set_load_client(bigint, text);

COMMIT;
