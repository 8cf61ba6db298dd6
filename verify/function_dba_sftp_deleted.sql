-- Verify feeds:function_dba_sftp_deleted on pg
SELECT 'dba.sftp_deleted(bigint)'::regprocedure;
