-- Revert feeds:function_dba__load_rows from pg
BEGIN;

DROP FUNCTION dba._load_rows(bigint, dba.timportconfig, regclass, text, text[]);

COMMIT;
