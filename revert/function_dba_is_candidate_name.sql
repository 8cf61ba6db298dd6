-- Revert feeds:function_dba_is_candidate_name from pg
BEGIN;

DROP FUNCTION dba.is_candidate_name(text);

COMMIT;
