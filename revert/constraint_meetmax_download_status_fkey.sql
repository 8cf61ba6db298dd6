-- Revert feeds:constraint_meetmax_download_status_fkey from pg
BEGIN;

ALTER TABLE meetmax.download
    DROP CONSTRAINT download_status_fkey,
    ADD CONSTRAINT download_status_check
        CHECK (status IN ('to_save', 'saved', 'duplicate', 'unchanged', 'refused', 'failed'));
COMMENT ON COLUMN meetmax.download.status IS 'to_save (the shim is writing the file), saved, duplicate (the same bytes for this event were saved or loaded before), unchanged (other bytes, the same cells as the event''s last saved list), refused (not a list), failed (no answer).';

COMMIT;
