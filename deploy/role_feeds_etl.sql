-- Deploy feeds:role_feeds_etl to pg
-- Roles are cluster-wide: create it only when it is missing.
BEGIN;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'feeds_etl') THEN
        CREATE ROLE feeds_etl LOGIN;
    END IF;
END
$$;
COMMENT ON ROLE feeds_etl IS 'What cron and the shims log in as: may call the entry points, cannot read arbitrary server files.';

COMMIT;
