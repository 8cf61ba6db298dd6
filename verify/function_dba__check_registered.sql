-- Verify feeds:function_dba__check_registered on pg
SELECT 'dba._check_registered(dba.tdataloads, bytea, text)'::regprocedure;
