-- Verify feeds:role_feeds_owner on pg
SELECT 1/count(*) FROM pg_roles WHERE rolname = 'feeds_owner';
