-- Verify feeds:function_dba__fit_rules on pg
SELECT 'dba._fit_rules(text, regtype, integer, text, boolean)'::regprocedure;
