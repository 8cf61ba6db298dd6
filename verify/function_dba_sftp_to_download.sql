-- Verify feeds:function_dba_sftp_to_download on pg
SELECT 'dba.sftp_to_download(text, jsonb, text)'::regprocedure;
