-- Verify feeds:function_dba_draft_job_from_sample on pg
SELECT 'dba.draft_job_from_sample(text, bigint, bytea[], text, text, text, text)'::regprocedure;
