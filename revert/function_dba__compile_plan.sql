-- Revert feeds:function_dba__compile_plan from pg
BEGIN;

DROP FUNCTION dba._compile_plan(dba.timportconfig, text, text[]);

COMMIT;
