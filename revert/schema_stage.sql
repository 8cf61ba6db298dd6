-- Revert feeds:schema_stage from pg
BEGIN;

DROP SCHEMA stage CASCADE;

COMMIT;
