-- Verify feeds:function_dba_claim_mail on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba.claim_mail(integer)'::regprocedure AND proowner = 'feeds_owner'::regrole;
