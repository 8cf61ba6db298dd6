-- Revert feeds:function_dba__back_to_inbox from pg
BEGIN;

DROP FUNCTION dba._back_to_inbox(dba.tdataloads, dba.timportconfig);

COMMIT;
