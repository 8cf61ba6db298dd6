-- Revert feeds:function_dba__draft_columns from pg
BEGIN;

DROP FUNCTION dba._draft_columns(text[], text, text, integer, text[], integer);

COMMIT;
