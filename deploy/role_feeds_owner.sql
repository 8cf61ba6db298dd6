-- Deploy feeds:role_feeds_owner to pg
-- Roles are cluster-wide: create it only when it is missing.
BEGIN;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'feeds_owner') THEN
        CREATE ROLE feeds_owner NOLOGIN;
    END IF;
END
$$;
COMMENT ON ROLE feeds_owner IS 'Owns every Feeds object; nobody logs in as it.';

COMMIT;
