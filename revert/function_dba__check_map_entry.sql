-- Revert feeds:function_dba__check_map_entry from pg
BEGIN;

DROP FUNCTION dba._check_map_entry(text, regclass, jsonb, integer, text[]);

COMMIT;
