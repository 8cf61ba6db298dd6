-- Revert feeds:privilege_feeds_owner_server_files from pg
BEGIN;

REVOKE EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) FROM feeds_owner;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean) FROM feeds_owner;
REVOKE EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean) FROM feeds_owner;
REVOKE pg_read_server_files FROM feeds_owner;

COMMIT;
