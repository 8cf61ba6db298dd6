-- Verify feeds:function_dba_sftp_to_delete on pg
SELECT 'dba.sftp_to_delete(text, text)'::regprocedure;
