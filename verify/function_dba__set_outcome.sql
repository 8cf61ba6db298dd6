-- Verify feeds:function_dba__set_outcome on pg
SELECT 'dba._set_outcome(bigint, text, bigint, bigint, bigint, bigint, text, text)'::regprocedure;
