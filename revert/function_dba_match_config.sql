-- Revert feeds:function_dba_match_config from pg
BEGIN;

DROP FUNCTION dba.match_config(text);

COMMIT;
