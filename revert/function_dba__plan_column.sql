-- Revert feeds:function_dba__plan_column from pg
BEGIN;

DROP FUNCTION dba._plan_column(dba.timportconfig, jsonb, integer, integer, text, text, regclass);

COMMIT;
