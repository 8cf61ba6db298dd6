-- Revert feeds:function_dba_draft_job_from_sample from pg
BEGIN;

DROP FUNCTION dba.draft_job_from_sample(text, bigint, bytea[], text, text, text, text);

COMMIT;
