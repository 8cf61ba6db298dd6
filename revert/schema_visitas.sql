-- Revert feeds:schema_visitas from pg
BEGIN;

DROP SCHEMA visitas;

COMMIT;
