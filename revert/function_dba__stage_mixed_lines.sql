-- Revert feeds:function_dba__stage_mixed_lines from pg
BEGIN;

DROP FUNCTION dba._stage_mixed_lines(regclass, refcursor, text);

COMMIT;
