-- Revert feeds:function_dba__apply_resend_policy from pg
BEGIN;

DROP FUNCTION dba._apply_resend_policy(bigint);

COMMIT;
