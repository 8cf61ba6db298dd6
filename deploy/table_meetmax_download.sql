-- Deploy feeds:table_meetmax_download to pg
-- requires: schema_meetmax
-- requires: table_dba_trun
BEGIN;

CREATE TABLE meetmax.download (
    download_id   bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT download_pkey PRIMARY KEY,
    run_uuid      uuid CONSTRAINT download_run_uuid_fkey REFERENCES dba.trun (run_uuid),
    event_id      integer NOT NULL CONSTRAINT download_event_id_check CHECK (event_id > 0),
    download_url  text NOT NULL,
    status        text NOT NULL
                  CONSTRAINT download_status_check
                  CHECK (status IN ('to_save', 'saved', 'duplicate', 'unchanged', 'refused', 'failed')),
    bytes         bigint,
    sha256        text CONSTRAINT download_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content_kind  text,
    cells_sha256  text CONSTRAINT download_cells_sha256_check CHECK (cells_sha256 ~ '^[0-9a-f]{64}$'),
    file_name     text,
    reason        text,
    downloaded_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX download_event_idx ON meetmax.download (event_id, download_id DESC);

ALTER TABLE meetmax.download OWNER TO feeds_owner;
GRANT SELECT ON meetmax.download TO feeds_etl, feeds_reader;

COMMENT ON TABLE meetmax.download IS 'One row per company list fetched by feeds meetmax download, with the database''s verdict (meetmax.begin_download) and, once saved, the file name (meetmax.finish_download). Replaces the downloader''s manifest file: what was saved for an event is asked here.';
COMMENT ON COLUMN meetmax.download.download_id IS 'Surrogate key.';
COMMENT ON COLUMN meetmax.download.run_uuid IS 'The run of the download (dba.trun).';
COMMENT ON COLUMN meetmax.download.event_id IS 'The MeetMax event.';
COMMENT ON COLUMN meetmax.download.download_url IS 'The URL the list was fetched from.';
COMMENT ON COLUMN meetmax.download.status IS 'to_save (the shim is writing the file), saved, duplicate (the same bytes for this event were saved or loaded before), unchanged (other bytes, the same cells as the event''s last saved list), refused (not a list), failed (no answer).';
COMMENT ON COLUMN meetmax.download.bytes IS 'Size of what came back.';
COMMENT ON COLUMN meetmax.download.sha256 IS 'SHA-256 of what came back, lower-case hex.';
COMMENT ON COLUMN meetmax.download.content_kind IS 'What the bytes are, as shims/sniff.py names them: xls, xlsx, spreadsheetml, html, zip, pdf, text, binary, empty, ...';
COMMENT ON COLUMN meetmax.download.cells_sha256 IS 'SHA-256 of the converter''s CSV of the list (its cells), NULL when it could not be converted.';
COMMENT ON COLUMN meetmax.download.file_name IS 'The file saved into the inbox (status saved).';
COMMENT ON COLUMN meetmax.download.reason IS 'Why it was refused, failed or not saved.';
COMMENT ON COLUMN meetmax.download.downloaded_at IS 'When it was fetched.';

COMMIT;
