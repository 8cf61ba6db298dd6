-- Deploy feeds:schema_visitas to pg
-- requires: role_feeds_owner
-- requires: role_feeds_etl
-- requires: role_feeds_reader
BEGIN;

CREATE SCHEMA visitas AUTHORIZATION feeds_owner;
REVOKE ALL ON SCHEMA visitas FROM PUBLIC;
GRANT USAGE ON SCHEMA visitas TO feeds_etl, feeds_reader;
COMMENT ON SCHEMA visitas IS 'The Visitas job: e-mail campaign statistics pulled by SFTP (visitas.statistics), their rejected rows (visitas.errors), one row per visitor (visitas.visitor) and the monthly control view.';

COMMIT;
