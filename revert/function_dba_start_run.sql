-- Revert feeds:function_dba_start_run from pg
BEGIN;

DROP FUNCTION dba.start_run(text, date);

COMMIT;
