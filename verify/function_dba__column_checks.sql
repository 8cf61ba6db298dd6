-- Verify feeds:function_dba__column_checks on pg
SELECT 'dba._column_checks(jsonb, text, text, boolean, regtype, integer)'::regprocedure;
