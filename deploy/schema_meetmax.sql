-- Deploy feeds:schema_meetmax to pg
-- requires: role_feeds_owner
-- requires: role_feeds_etl
-- requires: role_feeds_reader
BEGIN;

CREATE SCHEMA meetmax AUTHORIZATION feeds_owner;
REVOKE ALL ON SCHEMA meetmax FROM PUBLIC;
GRANT USAGE ON SCHEMA meetmax TO feeds_etl, feeds_reader;
COMMENT ON SCHEMA meetmax IS 'MeetMax job: which investor-conference events exist (url_check) and their company lists (company_list).';

COMMIT;
