-- Verify feeds:function_dba__back_to_inbox on pg
SELECT 'dba._back_to_inbox(dba.tdataloads, dba.timportconfig)'::regprocedure;
