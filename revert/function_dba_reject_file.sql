-- Revert feeds:function_dba_reject_file from pg
BEGIN;

DROP FUNCTION dba.reject_file(text, text, text, bigint, text, uuid);

COMMIT;
