-- Revert feeds:function_dba_mark_mail_failed from pg
BEGIN;

DROP FUNCTION dba.mark_mail_failed(bigint, text);

COMMIT;
