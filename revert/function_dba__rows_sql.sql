-- Revert feeds:function_dba__rows_sql from pg
BEGIN;

DROP FUNCTION dba._rows_sql(bigint, dba.timportconfig, dba.load_plan, dba.load_source, boolean);

COMMIT;
