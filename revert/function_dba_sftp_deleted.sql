-- Revert feeds:function_dba_sftp_deleted from pg
BEGIN;

DROP FUNCTION dba.sftp_deleted(bigint);

COMMIT;
