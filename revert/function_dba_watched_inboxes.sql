-- Revert feeds:function_dba_watched_inboxes from pg
BEGIN;

DROP FUNCTION dba.watched_inboxes();

COMMIT;
