-- Revert feeds:function_dba__undo_table from pg
BEGIN;

DROP FUNCTION dba._undo_table(bigint, regclass);

COMMIT;
