-- Revert feeds:function_dba__html_escape from pg
BEGIN;

DROP FUNCTION dba._html_escape(text);

COMMIT;
