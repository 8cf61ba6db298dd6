-- Verify feeds:function_dba__load_fast_way on pg
SELECT 'dba._load_fast_way(bigint, text)'::regprocedure;
