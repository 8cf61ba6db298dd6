-- Revert feeds:function_dba__draft_name from pg
BEGIN;

DROP FUNCTION dba._draft_name(text, text);

COMMIT;
