-- Verify feeds:function_dba__check_client_stream on pg
SELECT 'dba._check_client_stream(dba.tdataloads)'::regprocedure;
