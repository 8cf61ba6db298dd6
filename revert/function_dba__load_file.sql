-- Revert feeds:function_dba__load_file from pg
BEGIN;

DROP FUNCTION dba._load_file(bigint, text, boolean, boolean, boolean);

COMMIT;
