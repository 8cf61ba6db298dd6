-- Verify feeds:function_dba__strict_csv on pg
SELECT 'dba._strict_csv(bigint, text, dba.timportconfig)'::regprocedure;
