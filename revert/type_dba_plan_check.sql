-- Revert feeds:type_dba_plan_check from pg
BEGIN;

DROP TYPE dba.plan_check;

COMMIT;
