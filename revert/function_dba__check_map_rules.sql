-- Revert feeds:function_dba__check_map_rules from pg
BEGIN;

DROP FUNCTION dba._check_map_rules(text, text, jsonb);

COMMIT;
