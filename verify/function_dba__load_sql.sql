-- Verify feeds:function_dba__load_sql on pg
SELECT 'dba._load_sql(bigint, dba.timportconfig, dba.load_plan, text, boolean)'::regprocedure;
