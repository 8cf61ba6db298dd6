-- Revert feeds:function_dba__reject_set_aside from pg
BEGIN;

DROP FUNCTION dba._reject_set_aside(bigint, dba.timportconfig, dba.load_plan, dba.load_source);

COMMIT;
