-- Verify feeds:schema_stage on pg
SELECT pg_catalog.has_schema_privilege('stage', 'usage');
SELECT 1/count(*) FROM pg_namespace WHERE nspname = 'stage' AND nspowner = 'feeds_owner'::regrole;
