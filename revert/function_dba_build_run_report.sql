-- Revert feeds:function_dba_build_run_report from pg
BEGIN;

DROP FUNCTION dba.build_run_report(uuid, text);

COMMIT;
