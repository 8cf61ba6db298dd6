-- Verify feeds:function_dba__draft_plan on pg
SELECT 'dba._draft_plan(text, bigint, bytea[], text, text, text, text)'::regprocedure;
