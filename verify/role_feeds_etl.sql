-- Verify feeds:role_feeds_etl on pg
SELECT 1/count(*) FROM pg_roles WHERE rolname = 'feeds_etl';
