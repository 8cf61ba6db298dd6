-- Deploy feeds:extension_file_fdw to pg
-- requires: privilege_feeds_owner_server_files
-- file_fdw (PostgreSQL contrib, in Debian's postgresql-15) lets the engine read a file with
-- COPY's own CSV parser inside a query, streamed: the direct path of dba._process_load() loads a
-- clean file in one INSERT … SELECT without staging it first. Only feeds_owner may use the
-- server; the engine names only files inside a job's processing directory.
BEGIN;

CREATE EXTENSION IF NOT EXISTS file_fdw;
CREATE SERVER feeds_files FOREIGN DATA WRAPPER file_fdw;
COMMENT ON SERVER feeds_files IS
'Feeds: file_fdw server through which the engine''s direct path reads a job''s file (dba._process_load).';
GRANT USAGE ON FOREIGN SERVER feeds_files TO feeds_owner;

COMMIT;
