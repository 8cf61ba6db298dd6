-- Verify feeds:function_dba_mark_mail_failed on pg
SELECT 1/count(*) FROM pg_proc WHERE oid = 'dba.mark_mail_failed(bigint, text)'::regprocedure AND proowner = 'feeds_owner'::regrole;
