-- Revert feeds:table_dba_timportconfig_resend_policy from pg
BEGIN;

ALTER TABLE dba.timportconfig DROP COLUMN resend_policy;

COMMIT;
