-- Revert feeds:function_dba_inbox_takes from pg
BEGIN;

DROP FUNCTION dba.inbox_takes(text, text, text);

COMMIT;
