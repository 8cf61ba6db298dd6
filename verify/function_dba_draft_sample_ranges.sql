-- Verify feeds:function_dba_draft_sample_ranges on pg
SELECT 'dba.draft_sample_ranges(bigint)'::regprocedure;
