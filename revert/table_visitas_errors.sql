-- Revert feeds:table_visitas_errors from pg
BEGIN;

DROP TABLE visitas.errors;

COMMIT;
