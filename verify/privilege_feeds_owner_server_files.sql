-- Verify feeds:privilege_feeds_owner_server_files on pg
DO $$
BEGIN
    ASSERT pg_has_role('feeds_owner', 'pg_read_server_files', 'MEMBER'), 'feeds_owner cannot read server files';
    ASSERT has_function_privilege('feeds_owner', 'pg_catalog.pg_ls_dir(text, boolean, boolean)', 'EXECUTE'),
           'feeds_owner cannot list directories';
END
$$;
