-- Deploy feeds:constraint_meetmax_download_status_fkey to pg
-- requires: table_meetmax_download
-- requires: table_meetmax_tdownloadstatus
BEGIN;

-- The lookup replaces the list spelled out in the CHECK.
ALTER TABLE meetmax.download
    DROP CONSTRAINT download_status_check,
    ADD CONSTRAINT download_status_fkey FOREIGN KEY (status) REFERENCES meetmax.tdownloadstatus (status);
COMMENT ON COLUMN meetmax.download.status IS
'The verdict on the fetched list: one of meetmax.tdownloadstatus (to_save, saved, duplicate, unchanged, refused, failed).';

COMMIT;
