-- Verify feeds:function_dba__strict_line_sql on pg
SELECT 'dba._strict_line_sql(text, text)'::regprocedure;
