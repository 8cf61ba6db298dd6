-- Verify feeds:schema_dba on pg
SELECT pg_catalog.has_schema_privilege('dba', 'usage');
SELECT 1/count(*) FROM pg_namespace WHERE nspname = 'dba' AND nspowner = 'feeds_owner'::regrole;
