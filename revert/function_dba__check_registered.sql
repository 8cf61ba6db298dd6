-- Revert feeds:function_dba__check_registered from pg
BEGIN;

DROP FUNCTION dba._check_registered(dba.tdataloads, bytea, text);

COMMIT;
