-- Revert feeds:table_visitas_statistics from pg
BEGIN;

DROP TABLE visitas.statistics;

COMMIT;
