-- Revert feeds:role_feeds_reader from pg
-- A role still used by another database of the cluster is left in place (with a notice).
BEGIN;

DO $$
BEGIN
    DROP ROLE IF EXISTS feeds_reader;
EXCEPTION WHEN dependent_objects_still_exist THEN
    RAISE NOTICE 'role feeds_reader is still used elsewhere in this cluster; left in place';
END
$$;

COMMIT;
