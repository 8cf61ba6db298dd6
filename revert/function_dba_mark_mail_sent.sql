-- Revert feeds:function_dba_mark_mail_sent from pg
BEGIN;

DROP FUNCTION dba.mark_mail_sent(bigint, text);

COMMIT;
