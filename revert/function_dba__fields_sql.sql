-- Revert feeds:function_dba__fields_sql from pg
BEGIN;

DROP FUNCTION dba._fields_sql(bigint, dba.timportconfig, dba.load_plan, dba.load_source);

COMMIT;
