-- Revert feeds:function_dba_claim_mail from pg
BEGIN;

DROP FUNCTION dba.claim_mail(integer);

COMMIT;
