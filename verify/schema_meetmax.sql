-- Verify feeds:schema_meetmax on pg
SELECT 1/count(*) FROM pg_namespace WHERE nspname = 'meetmax' AND nspowner = 'feeds_owner'::regrole;
SELECT 1/count(*) WHERE has_schema_privilege('feeds_etl', 'meetmax', 'USAGE')
                    AND has_schema_privilege('feeds_reader', 'meetmax', 'USAGE')
                    AND NOT has_schema_privilege('feeds_etl', 'meetmax', 'CREATE');
