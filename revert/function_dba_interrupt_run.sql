-- Revert feeds:function_dba_interrupt_run from pg
BEGIN;

DROP FUNCTION dba.interrupt_run(uuid, text);

COMMIT;
