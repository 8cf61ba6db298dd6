-- Revert feeds:function_dba__validate_rows from pg
BEGIN;

DROP FUNCTION dba._validate_rows(bigint, dba.timportconfig, dba.load_plan, dba.load_source);

COMMIT;
