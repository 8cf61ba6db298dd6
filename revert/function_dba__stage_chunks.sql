-- Revert feeds:function_dba__stage_chunks from pg
BEGIN;

DROP FUNCTION dba._stage_chunks(bigint);

COMMIT;
