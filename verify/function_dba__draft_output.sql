-- Verify feeds:function_dba__draft_output on pg
SELECT 'dba._draft_output(dba.draft_plan)'::regprocedure;
