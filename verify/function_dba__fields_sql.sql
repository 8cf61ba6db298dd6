-- Verify feeds:function_dba__fields_sql on pg
SELECT 'dba._fields_sql(bigint, dba.timportconfig, dba.load_plan, dba.load_source)'::regprocedure;
