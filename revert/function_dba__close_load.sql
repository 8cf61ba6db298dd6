-- Revert feeds:function_dba__close_load from pg
BEGIN;

DROP FUNCTION dba._close_load(bigint, dba.timportconfig, bigint, bigint, bigint, bigint);

COMMIT;
