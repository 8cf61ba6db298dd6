-- Revert feeds:function_dba_sftp_to_delete from pg
BEGIN;

DROP FUNCTION dba.sftp_to_delete(text, text);

COMMIT;
