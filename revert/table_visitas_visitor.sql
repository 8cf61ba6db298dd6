-- Revert feeds:table_visitas_visitor from pg
BEGIN;

DROP TABLE visitas.visitor;

COMMIT;
