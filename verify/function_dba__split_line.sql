-- Verify feeds:function_dba__split_line on pg
SELECT 'dba._split_line(text, text, text, boolean)'::regprocedure;
