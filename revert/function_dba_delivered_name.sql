-- Revert feeds:function_dba_delivered_name from pg
BEGIN;

DROP FUNCTION dba.delivered_name(text, text);

COMMIT;
