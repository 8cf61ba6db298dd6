-- Revert feeds:function_dba__stage_chunks_trigger from pg
BEGIN;

DROP FUNCTION dba._stage_chunks_trigger();

COMMIT;
