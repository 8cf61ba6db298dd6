-- Verify feeds:function_dba__compile_plan on pg
SELECT 'dba._compile_plan(dba.timportconfig, text, text[])'::regprocedure;
