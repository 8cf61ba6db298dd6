-- Deploy feeds:privilege_execute_revoke to pg
-- requires: role_feeds_owner
-- Functions are not executable by PUBLIC unless a change grants it explicitly.
BEGIN;

ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE feeds_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

COMMIT;
