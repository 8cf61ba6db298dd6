-- Revert feeds:function_dba_register_file from pg
BEGIN;

DROP FUNCTION dba.register_file(text, text, text, bigint, uuid, text, integer);

COMMIT;
