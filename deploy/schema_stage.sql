-- Deploy feeds:schema_stage to pg
-- requires: role_feeds_owner
-- requires: role_feeds_etl
-- requires: role_feeds_reader
BEGIN;

CREATE SCHEMA stage AUTHORIZATION feeds_owner;
REVOKE ALL ON SCHEMA stage FROM PUBLIC;
-- Only the owner touches staging tables; clients fill them through dba.begin_load().
GRANT USAGE ON SCHEMA stage TO feeds_etl;
COMMENT ON SCHEMA stage IS 'Feeds staging tables: one per load (stage.load_<load_id>), all columns text plus the line number.';

COMMIT;
