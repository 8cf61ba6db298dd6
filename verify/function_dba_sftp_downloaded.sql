-- Verify feeds:function_dba_sftp_downloaded on pg
SELECT 'dba.sftp_downloaded(text, text, bigint, bigint, text, text)'::regprocedure;
