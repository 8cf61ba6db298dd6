-- Revert feeds:function_dba_sftp_to_download from pg
BEGIN;

DROP FUNCTION dba.sftp_to_download(text, jsonb, text);

COMMIT;
