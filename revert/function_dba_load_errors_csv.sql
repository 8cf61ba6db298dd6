-- Revert feeds:function_dba_load_errors_csv from pg
BEGIN;

DROP FUNCTION dba.load_errors_csv(bigint);

COMMIT;
