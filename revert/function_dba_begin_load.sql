-- Revert feeds:function_dba_begin_load from pg
BEGIN;

DROP FUNCTION dba.begin_load(text, text, text, bigint, uuid, text, integer);

COMMIT;
