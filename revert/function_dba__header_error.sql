-- Revert feeds:function_dba__header_error from pg
BEGIN;

DROP FUNCTION dba._header_error(dba.timportconfig, text, text[], jsonb, integer, text[]);

COMMIT;
