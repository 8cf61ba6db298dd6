-- Revert feeds:schema_dba from pg
BEGIN;

DROP SCHEMA dba CASCADE;

COMMIT;
