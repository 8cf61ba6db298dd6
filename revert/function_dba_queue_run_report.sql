-- Revert feeds:function_dba_queue_run_report from pg
BEGIN;

DROP FUNCTION dba.queue_run_report(uuid, text[]);

COMMIT;
