-- Verify feeds:function_dba__date_code_sql on pg
SELECT 'dba._date_code_sql(text, text, text, text)'::regprocedure;
