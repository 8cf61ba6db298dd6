-- Verify feeds:function_dba__draft_records on pg
SELECT 'dba._draft_records(text[], text, integer)'::regprocedure;
