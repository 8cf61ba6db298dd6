-- Revert feeds:function_dba__admit_load from pg
BEGIN;

DROP FUNCTION dba._admit_load(bigint);

COMMIT;
