-- Revert feeds:function_dba_draft_sample_ranges from pg
BEGIN;

DROP FUNCTION dba.draft_sample_ranges(bigint);

COMMIT;
