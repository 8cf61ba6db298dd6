-- Revert feeds:function_dba_files_to_move from pg
BEGIN;

DROP FUNCTION dba.files_to_move(uuid, boolean);

COMMIT;
