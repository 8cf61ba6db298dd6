-- Verify feeds:function_dba__claimed_mail on pg
SELECT 'dba._claimed_mail(bigint)'::regprocedure;
