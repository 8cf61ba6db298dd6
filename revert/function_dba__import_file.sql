-- Revert feeds:function_dba__import_file from pg
BEGIN;

DROP FUNCTION dba._import_file(dba.timportconfig, dba.tdataloads, text, boolean, uuid);

COMMIT;
