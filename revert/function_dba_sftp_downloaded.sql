-- Revert feeds:function_dba_sftp_downloaded from pg
BEGIN;

DROP FUNCTION dba.sftp_downloaded(text, text, bigint, bigint, text, text);

COMMIT;
