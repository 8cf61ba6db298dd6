-- Revert feeds:function_dba__fit_rules from pg
BEGIN;

DROP FUNCTION dba._fit_rules(text, regtype, integer, text, boolean);

COMMIT;
