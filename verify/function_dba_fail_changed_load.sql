-- Verify feeds:function_dba_fail_changed_load on pg
SELECT 'dba.fail_changed_load(bigint, text)'::regprocedure;
