-- Verify feeds:function_dba__raw_lines on pg
SELECT 'dba._raw_lines(bigint, text, text)'::regprocedure;
