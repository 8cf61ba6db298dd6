-- Revert feeds:function_dba__open_load from pg
BEGIN;

DROP FUNCTION dba._open_load(bigint, dba.timportconfig, text, text);

COMMIT;
