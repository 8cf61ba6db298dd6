-- Revert feeds:function_dba__undo_hook from pg
BEGIN;

DROP FUNCTION dba._undo_hook(dba.timportconfig, bigint);

COMMIT;
