-- Verify feeds:function_dba__csv_line_regex on pg
SELECT 'dba._csv_line_regex(text, text)'::regprocedure;
