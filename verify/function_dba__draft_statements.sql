-- Verify feeds:function_dba__draft_statements on pg
SELECT 'dba._draft_statements(dba.draft_plan)'::regprocedure;
