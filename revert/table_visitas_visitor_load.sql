-- Revert feeds:table_visitas_visitor_load from pg
BEGIN;

DROP TABLE visitas.visitor_load;

COMMIT;
