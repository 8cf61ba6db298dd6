-- Revert feeds:function_dba__load_message from pg
BEGIN;

DROP FUNCTION dba._load_message(dba.tdataloads, boolean);

COMMIT;
