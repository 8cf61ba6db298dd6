-- Verify feeds:function_dba__draft_name on pg
SELECT 'dba._draft_name(text, text)'::regprocedure;
