-- Revert feeds:function_dba_load_outcome from pg
BEGIN;

DROP FUNCTION dba.load_outcome(dba.tdataloads);

COMMIT;
