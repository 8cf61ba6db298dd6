-- Revert feeds:function_dba__claimed_mail from pg
BEGIN;

DROP FUNCTION dba._claimed_mail(bigint);

COMMIT;
