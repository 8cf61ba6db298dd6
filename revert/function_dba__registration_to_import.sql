-- Revert feeds:function_dba__registration_to_import from pg
BEGIN;

DROP FUNCTION dba._registration_to_import(dba.timportconfig, text, uuid);

COMMIT;
