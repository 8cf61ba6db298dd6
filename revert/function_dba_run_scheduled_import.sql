-- Revert feeds:function_dba_run_scheduled_import from pg
BEGIN;

DROP FUNCTION dba.run_scheduled_import(text[], text);

COMMIT;
