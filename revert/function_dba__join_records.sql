-- Revert feeds:function_dba__join_records from pg
BEGIN;

DROP FUNCTION dba._join_records(bigint, dba.timportconfig);

COMMIT;
