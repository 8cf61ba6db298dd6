-- Verify feeds:function_dba__draft_dry_run on pg
SELECT 'dba._draft_dry_run(dba.draft_plan)'::regprocedure;
