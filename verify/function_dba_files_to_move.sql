-- Verify feeds:function_dba_files_to_move on pg
SELECT 'dba.files_to_move(uuid, boolean)'::regprocedure;
