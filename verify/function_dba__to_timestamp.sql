-- Verify feeds:function_dba__to_timestamp on pg
SELECT 'dba._to_timestamp(text, text)'::regprocedure;
