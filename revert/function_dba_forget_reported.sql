-- Revert feeds:function_dba_forget_reported from pg
BEGIN;

DROP FUNCTION dba.forget_reported(text, text[]);

COMMIT;
