-- Deploy feeds:table_meetmax_tdownloadstatus to pg
-- requires: schema_meetmax
-- requires: role_feeds_etl
-- requires: role_feeds_reader
BEGIN;

CREATE TABLE meetmax.tdownloadstatus (
    status      text CONSTRAINT tdownloadstatus_pkey PRIMARY KEY,
    to_save     boolean NOT NULL,
    is_fine     boolean NOT NULL,
    description text NOT NULL
);
INSERT INTO meetmax.tdownloadstatus (status, to_save, is_fine, description) VALUES
    ('to_save',   true,  true,  'a new list: the downloader saves it into the inbox, then calls meetmax.finish_download()'),
    ('saved',     false, true,  'saved into the inbox (file_name)'),
    ('duplicate', false, true,  'the same bytes for this event were saved or loaded before; not saved again'),
    ('unchanged', false, true,  'other bytes, the same cells as the event''s last saved list; not saved'),
    ('refused',   false, false, 'not a list (a login or error page, too small, not a spreadsheet); reason says why'),
    ('failed',    false, false, 'no answer (an HTTP error or a timeout); reason says why');

ALTER TABLE meetmax.tdownloadstatus OWNER TO feeds_owner;
GRANT SELECT ON meetmax.tdownloadstatus TO feeds_etl, feeds_reader;

COMMENT ON TABLE meetmax.tdownloadstatus IS
'The verdicts a fetched company list (meetmax.download.status) can have, one row each, and what the downloader does with each: the one list feeds meetmax download reads instead of spelling them out.';
COMMENT ON COLUMN meetmax.tdownloadstatus.status IS 'The value in meetmax.download.status (returned by meetmax.begin_download).';
COMMENT ON COLUMN meetmax.tdownloadstatus.to_save IS 'The downloader saves the list into the inbox and confirms it with meetmax.finish_download().';
COMMENT ON COLUMN meetmax.tdownloadstatus.is_fine IS 'The list needs nothing more: logged as info; any list that is not makes feeds meetmax download exit 1 and is named in the run''s problems.';
COMMENT ON COLUMN meetmax.tdownloadstatus.description IS 'What the verdict means, for a person.';

COMMIT;
