-- Revert feeds:extension_file_fdw from pg
BEGIN;

DROP SERVER feeds_files;
DROP EXTENSION file_fdw;

COMMIT;
