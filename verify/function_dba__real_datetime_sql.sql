-- Verify feeds:function_dba__real_datetime_sql on pg
SELECT 'dba._real_datetime_sql(text, text, text, text, text, text)'::regprocedure;
