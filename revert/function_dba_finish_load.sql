-- Revert feeds:function_dba_finish_load from pg
BEGIN;

DROP FUNCTION dba.finish_load(bigint, boolean);

COMMIT;
