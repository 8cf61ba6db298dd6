-- Verify feeds:function_dba__leave_fast_way on pg
SELECT 'dba._leave_fast_way(bigint, text, text)'::regprocedure;
