-- Revert feeds:function_dba__stage_file from pg
BEGIN;

DROP FUNCTION dba._stage_file(bigint, text, boolean);

COMMIT;
