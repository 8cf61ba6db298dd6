-- Verify feeds:function_dba__draft_columns on pg
SELECT 'dba._draft_columns(text[], text, text, integer, text[], integer)'::regprocedure;
