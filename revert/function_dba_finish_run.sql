-- Revert feeds:function_dba_finish_run from pg
BEGIN;

DROP FUNCTION dba.finish_run(uuid);

COMMIT;
