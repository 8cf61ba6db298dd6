-- Deploy feeds:table_dba_twatcher_report to pg
-- requires: schema_dba
BEGIN;

CREATE TABLE dba.twatcher_report (
    inbox_dir   text NOT NULL,
    file_name   text NOT NULL,
    file_size   bigint NOT NULL,
    mtime_ns    bigint NOT NULL,
    reason      text NOT NULL,
    reported_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT twatcher_report_pkey PRIMARY KEY (inbox_dir, file_name)
);
ALTER TABLE dba.twatcher_report OWNER TO feeds_owner;
GRANT SELECT ON dba.twatcher_report TO feeds_etl, feeds_reader;
COMMENT ON TABLE dba.twatcher_report IS 'Files the watcher left in an inbox and has reported (no job, another job''s inbox, a name still in processing, …), so that each is reported once until it changes or goes; written by dba.report_once() and dba.forget_reported().';
COMMENT ON COLUMN dba.twatcher_report.inbox_dir IS 'The inbox the file lies in.';
COMMENT ON COLUMN dba.twatcher_report.file_name IS 'The file''s name (escaped when not UTF-8).';
COMMENT ON COLUMN dba.twatcher_report.file_size IS 'Size in bytes when it was reported.';
COMMENT ON COLUMN dba.twatcher_report.mtime_ns IS 'Modification time (nanoseconds since the epoch) when it was reported.';
COMMENT ON COLUMN dba.twatcher_report.reason IS 'Why it was left: no_job, other_inbox, in_processing, match_error, …';
COMMENT ON COLUMN dba.twatcher_report.reported_at IS 'When it was reported.';

COMMIT;
