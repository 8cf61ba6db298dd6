-- Verify feeds:function_dba__draft_dialect on pg
SELECT 'dba._draft_dialect(text[])'::regprocedure;
