-- Revert feeds:function_dba__files_to_import from pg
BEGIN;

DROP FUNCTION dba._files_to_import(dba.timportconfig, text, uuid);

COMMIT;
