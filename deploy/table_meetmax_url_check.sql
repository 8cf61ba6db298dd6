-- Deploy feeds:table_meetmax_url_check to pg
-- requires: schema_meetmax
BEGIN;

CREATE TABLE meetmax.url_check (
    event_id         integer NOT NULL
                     CONSTRAINT url_check_event_id_key UNIQUE
                     CONSTRAINT url_check_event_id_check CHECK (event_id > 0),
    url              text NOT NULL,
    if_exists        boolean,
    is_private       boolean,
    invalid_event_id boolean,
    is_downloadable  boolean,
    download_link    text,
    status_code      integer
                     CONSTRAINT url_check_status_code_check CHECK (status_code BETWEEN 100 AND 599),
    title            text,
    checked_at       timestamp NOT NULL,
    load_id          bigint NOT NULL
);

CREATE INDEX url_check_load_id_idx ON meetmax.url_check (load_id);
CREATE INDEX url_check_downloadable_idx ON meetmax.url_check (event_id) WHERE is_downloadable;

ALTER TABLE meetmax.url_check OWNER TO feeds_owner;
-- The downloader (feeds_etl) reads which events to download; the engine writes as the owner.
GRANT SELECT ON meetmax.url_check TO feeds_etl, feeds_reader;

COMMENT ON TABLE meetmax.url_check IS 'Latest check of each MeetMax event page, loaded (upsert on event_id) from the YYYYMMDDTHHMMSS_MeetMaxURLCheck.csv files that feeds meetmax check writes.';
COMMENT ON COLUMN meetmax.url_check.event_id IS 'MeetMax event id (CSV EventID); one row per event, the latest check wins.';
COMMENT ON COLUMN meetmax.url_check.url IS 'Company-list page that was decided on: the private page when the event is private (CSV URL).';
COMMENT ON COLUMN meetmax.url_check.if_exists IS 'The event exists (false for 404 and for the "Invalid Event ID" page); NULL when the check failed (CSV IfExists).';
COMMENT ON COLUMN meetmax.url_check.is_private IS 'The event has a private company list, or its page needs a login (CSV IsPrivate).';
COMMENT ON COLUMN meetmax.url_check.invalid_event_id IS 'The site answered with an "Invalid Event ID" alert (CSV InvalidEventID).';
COMMENT ON COLUMN meetmax.url_check.is_downloadable IS 'The page offers the company list as a file (an .xls link or the export button) (CSV IsDownloadable).';
COMMENT ON COLUMN meetmax.url_check.download_link IS 'Absolute URL of the company-list file, session extras after ";" cut (CSV DownloadLink).';
COMMENT ON COLUMN meetmax.url_check.status_code IS 'HTTP status of the page: the first redirect status when redirected (e.g. 302 to a login page); NULL when no answer came (CSV StatusCode).';
COMMENT ON COLUMN meetmax.url_check.title IS 'Page title without " - MeetMax", or a bracketed note: [not found], [login required], [error: …] (CSV Title).';
COMMENT ON COLUMN meetmax.url_check.checked_at IS 'When the page was checked, in UTC (CSV CheckedAt, ISO 8601 without offset so the load does not depend on the session time zone).';
COMMENT ON COLUMN meetmax.url_check.load_id IS 'Load (dba.tdataloads) that wrote this row.';

COMMIT;
