-- Verify feeds:function_dba__plan_column on pg
SELECT 'dba._plan_column(dba.timportconfig, jsonb, integer, integer, text, text, regclass)'::regprocedure;
