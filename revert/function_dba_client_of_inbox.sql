-- Revert feeds:function_dba_client_of_inbox from pg
BEGIN;

DROP FUNCTION dba.client_of_inbox(text, text);

COMMIT;
