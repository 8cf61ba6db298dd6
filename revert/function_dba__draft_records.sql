-- Revert feeds:function_dba__draft_records from pg
BEGIN;

DROP FUNCTION dba._draft_records(text[], text, integer);

COMMIT;
