-- Verify feeds:extension_file_fdw on pg
DO $$
BEGIN
    ASSERT has_server_privilege('feeds_owner', 'feeds_files', 'USAGE'), 'feeds_owner cannot use the feeds_files server';
END
$$;
