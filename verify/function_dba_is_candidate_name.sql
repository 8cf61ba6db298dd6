-- Verify feeds:function_dba_is_candidate_name on pg
SELECT 'dba.is_candidate_name(text)'::regprocedure;
