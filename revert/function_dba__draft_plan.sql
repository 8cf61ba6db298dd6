-- Revert feeds:function_dba__draft_plan from pg
BEGIN;

DROP FUNCTION dba._draft_plan(text, bigint, bytea[], text, text, text, text);

COMMIT;
