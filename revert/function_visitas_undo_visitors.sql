-- Revert feeds:function_visitas_undo_visitors from pg
BEGIN;

DROP FUNCTION visitas.undo_visitors(bigint);

COMMIT;
