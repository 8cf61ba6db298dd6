-- Revert feeds:function_dba__file_name_values from pg
BEGIN;

DROP FUNCTION dba._file_name_values(dba.timportconfig, text);

COMMIT;
