-- Revert feeds:function_dba__draft_lines from pg
BEGIN;

DROP FUNCTION dba._draft_lines(bytea[], bigint);

COMMIT;
