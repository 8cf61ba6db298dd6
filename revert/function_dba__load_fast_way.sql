-- Revert feeds:function_dba__load_fast_way from pg
BEGIN;

DROP FUNCTION dba._load_fast_way(bigint, text);

COMMIT;
