-- Verify feeds:function_dba_match_config on pg
SELECT 'dba.match_config(text)'::regprocedure;
