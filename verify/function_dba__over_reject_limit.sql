-- Verify feeds:function_dba__over_reject_limit on pg
SELECT 'dba._over_reject_limit(dba.timportconfig, bigint, bigint)'::regprocedure;
