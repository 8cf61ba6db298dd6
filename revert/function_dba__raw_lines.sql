-- Revert feeds:function_dba__raw_lines from pg
BEGIN;

DROP FUNCTION dba._raw_lines(bigint, text, text);

COMMIT;
