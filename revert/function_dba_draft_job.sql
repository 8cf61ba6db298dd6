-- Revert feeds:function_dba_draft_job from pg
BEGIN;

DROP FUNCTION dba.draft_job(text, text, text, text, text);

COMMIT;
