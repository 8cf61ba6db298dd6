-- Revert feeds:function_dba__check_client_stream from pg
BEGIN;

DROP FUNCTION dba._check_client_stream(dba.tdataloads);

COMMIT;
