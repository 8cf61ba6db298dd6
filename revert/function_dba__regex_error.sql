-- Revert feeds:function_dba__regex_error from pg
BEGIN;

DROP FUNCTION dba._regex_error(text);

COMMIT;
