-- Revert feeds:function_dba__check_file_name from pg
BEGIN;

DROP FUNCTION dba._check_file_name(text);

COMMIT;
