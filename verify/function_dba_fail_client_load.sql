-- Verify feeds:function_dba_fail_client_load on pg
SELECT 'dba.fail_client_load(bigint, text, text)'::regprocedure;
