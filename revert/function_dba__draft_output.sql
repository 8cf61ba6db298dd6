-- Revert feeds:function_dba__draft_output from pg
BEGIN;

DROP FUNCTION dba._draft_output(dba.draft_plan);

COMMIT;
