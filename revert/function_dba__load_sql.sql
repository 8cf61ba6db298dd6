-- Revert feeds:function_dba__load_sql from pg
BEGIN;

DROP FUNCTION dba._load_sql(bigint, dba.timportconfig, dba.load_plan, text, boolean);

COMMIT;
