-- Verify feeds:role_feeds_reader on pg
SELECT 1/count(*) FROM pg_roles WHERE rolname = 'feeds_reader';
