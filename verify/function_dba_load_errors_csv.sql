-- Verify feeds:function_dba_load_errors_csv on pg
SELECT 'dba.load_errors_csv(bigint)'::regprocedure;
