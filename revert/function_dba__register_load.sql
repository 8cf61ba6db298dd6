-- Revert feeds:function_dba__register_load from pg
BEGIN;

DROP FUNCTION dba._register_load(dba.timportconfig, text, text, text, bigint, uuid, text, text, integer);

COMMIT;
