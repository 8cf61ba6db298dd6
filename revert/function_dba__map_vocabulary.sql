-- Revert feeds:function_dba__map_vocabulary from pg
BEGIN;

DROP FUNCTION dba._map_vocabulary(text);

COMMIT;
