-- Revert feeds:function_dba__strict_csv from pg
BEGIN;

DROP FUNCTION dba._strict_csv(bigint, text, dba.timportconfig);

COMMIT;
