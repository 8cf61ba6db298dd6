-- Revert feeds:function_dba_undo_load from pg
BEGIN;

DROP FUNCTION dba.undo_load(bigint);

COMMIT;
