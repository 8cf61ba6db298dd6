-- Revert feeds:type_dba_draft_plan from pg
BEGIN;

DROP TYPE dba.draft_plan;

COMMIT;
