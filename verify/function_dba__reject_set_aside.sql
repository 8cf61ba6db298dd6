-- Verify feeds:function_dba__reject_set_aside on pg
SELECT 'dba._reject_set_aside(bigint, dba.timportconfig, dba.load_plan, dba.load_source)'::regprocedure;
