-- Revert feeds:function_dba_mark_moved from pg
BEGIN;

DROP FUNCTION dba.mark_moved(bigint, text);

COMMIT;
