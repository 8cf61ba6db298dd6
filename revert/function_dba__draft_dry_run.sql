-- Revert feeds:function_dba__draft_dry_run from pg
BEGIN;

DROP FUNCTION dba._draft_dry_run(dba.draft_plan);

COMMIT;
