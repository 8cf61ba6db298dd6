-- Deploy feeds:schema_dba to pg
-- requires: role_feeds_owner
-- requires: role_feeds_etl
-- requires: role_feeds_reader
BEGIN;

CREATE SCHEMA dba AUTHORIZATION feeds_owner;
REVOKE ALL ON SCHEMA dba FROM PUBLIC;
GRANT USAGE ON SCHEMA dba TO feeds_etl, feeds_reader;
COMMENT ON SCHEMA dba IS 'Feeds engine: configuration, load tracking, log, errors, reports and the entry-point functions.';

COMMIT;
