-- Deploy feeds:schema_undo to pg
-- requires: role_feeds_owner
-- requires: role_feeds_reader
BEGIN;

CREATE SCHEMA undo AUTHORIZATION feeds_owner;
REVOKE ALL ON SCHEMA undo FROM PUBLIC;
GRANT USAGE ON SCHEMA undo TO feeds_reader;
COMMENT ON SCHEMA undo IS 'Typed before-images for dba.undo_load(): one table per target table and column layout, created by the owner on first need (dba._undo_table); listed per load in dba.tundoimages.';

COMMIT;
