-- Revert feeds:type_dba_load_plan from pg
BEGIN;

DROP TYPE dba.load_plan;

COMMIT;
