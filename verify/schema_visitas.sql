-- Verify feeds:schema_visitas on pg
SELECT pg_catalog.has_schema_privilege('visitas', 'usage');
SELECT 1/count(*) FROM pg_namespace WHERE nspname = 'visitas' AND nspowner = 'feeds_owner'::regrole;
