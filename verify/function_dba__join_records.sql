-- Verify feeds:function_dba__join_records on pg
SELECT 'dba._join_records(bigint, dba.timportconfig)'::regprocedure;
