-- Verify feeds:function_dba__timestamp_sql on pg
SELECT 'dba._timestamp_sql(text, text, text)'::regprocedure;
