-- Verify feeds:function_dba__validate_rows on pg
SELECT 'dba._validate_rows(bigint, dba.timportconfig, dba.load_plan, dba.load_source)'::regprocedure;
