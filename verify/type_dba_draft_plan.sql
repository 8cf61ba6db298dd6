-- Verify feeds:type_dba_draft_plan on pg
SELECT 'dba.draft_plan'::regtype;
