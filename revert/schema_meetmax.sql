-- Revert feeds:schema_meetmax from pg
BEGIN;

DROP SCHEMA meetmax;

COMMIT;
