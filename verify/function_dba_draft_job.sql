-- Verify feeds:function_dba_draft_job on pg
SELECT 'dba.draft_job(text, text, text, text, text)'::regprocedure;
