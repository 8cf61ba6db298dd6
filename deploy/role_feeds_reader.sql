-- Deploy feeds:role_feeds_reader to pg
-- Roles are cluster-wide: create it only when it is missing.
BEGIN;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'feeds_reader') THEN
        CREATE ROLE feeds_reader NOLOGIN;
    END IF;
END
$$;
COMMENT ON ROLE feeds_reader IS 'May read loads, logs, errors and reports; changes nothing.';

COMMIT;
