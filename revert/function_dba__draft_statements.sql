-- Revert feeds:function_dba__draft_statements from pg
BEGIN;

DROP FUNCTION dba._draft_statements(dba.draft_plan);

COMMIT;
