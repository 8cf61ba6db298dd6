-- Revert feeds:function_dba_log from pg
BEGIN;

DROP FUNCTION dba.log(uuid, text, text, text, bigint, text, timestamptz, uuid);

COMMIT;
