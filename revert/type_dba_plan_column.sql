-- Revert feeds:type_dba_plan_column from pg
BEGIN;

DROP TYPE dba.plan_column;

COMMIT;
