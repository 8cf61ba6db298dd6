-- Verify feeds:function_dba__take_fast_way on pg
SELECT 'dba._take_fast_way(bigint, text, boolean)'::regprocedure;
