-- Revert feeds:function_dba__set_outcome from pg
BEGIN;

DROP FUNCTION dba._set_outcome(bigint, text, bigint, bigint, bigint, bigint, text, text);

COMMIT;
