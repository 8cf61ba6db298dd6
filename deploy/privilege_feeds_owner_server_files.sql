-- Deploy feeds:privilege_feeds_owner_server_files to pg
-- requires: role_feeds_owner
-- The engine (functions owned by feeds_owner) reads files the server can see: it lists a job's
-- processing directory, stats and hashes files there, and COPYs them. Only feeds_owner gets this;
-- the engine's own checks keep every read inside the directories a job names.
BEGIN;

GRANT pg_read_server_files TO feeds_owner;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean) TO feeds_owner;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean) TO feeds_owner;
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO feeds_owner;

COMMIT;
