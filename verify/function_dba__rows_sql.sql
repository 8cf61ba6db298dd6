-- Verify feeds:function_dba__rows_sql on pg
SELECT 'dba._rows_sql(bigint, dba.timportconfig, dba.load_plan, dba.load_source, boolean)'::regprocedure;
