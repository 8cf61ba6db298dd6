-- Revert feeds:function_dba__take_fast_way from pg
BEGIN;

DROP FUNCTION dba._take_fast_way(bigint, text, boolean);

COMMIT;
