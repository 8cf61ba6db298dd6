-- Revert feeds:function_dba__normalize_header from pg
BEGIN;

DROP FUNCTION dba._normalize_header(text);

COMMIT;
