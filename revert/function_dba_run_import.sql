-- Revert feeds:function_dba_run_import from pg
BEGIN;

DROP FUNCTION dba.run_import(text, text, boolean, uuid);

COMMIT;
