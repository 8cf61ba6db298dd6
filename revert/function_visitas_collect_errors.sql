-- Revert feeds:function_visitas_collect_errors from pg
BEGIN;

DROP FUNCTION visitas.collect_errors(uuid);

COMMIT;
