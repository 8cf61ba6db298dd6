-- Revert feeds:function_visitas_update_visitors from pg
BEGIN;

DROP FUNCTION visitas.update_visitors(bigint);

COMMIT;
