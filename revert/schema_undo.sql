-- Revert feeds:schema_undo from pg
BEGIN;

-- The tables in it were created at run time (dba._undo_table): they go with the schema.
DROP SCHEMA undo CASCADE;

COMMIT;
