-- Revert feeds:view_visitas_monthly_control from pg
BEGIN;

DROP VIEW visitas.monthly_control;

COMMIT;
