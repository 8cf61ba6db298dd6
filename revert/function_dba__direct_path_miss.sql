-- Revert feeds:function_dba__direct_path_miss from pg
BEGIN;

DROP FUNCTION dba._direct_path_miss();

COMMIT;
