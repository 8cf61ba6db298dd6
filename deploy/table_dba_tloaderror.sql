-- Deploy feeds:table_dba_tloaderror to pg
-- requires: table_dba_tdataloads
BEGIN;

CREATE TABLE dba.tloaderror (
    error_id    bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT tloaderror_pkey PRIMARY KEY,
    load_id     bigint NOT NULL CONSTRAINT tloaderror_load_id_fkey REFERENCES dba.tdataloads (load_id) ON DELETE CASCADE,
    line_no     bigint,
    column_name text,
    raw_value   text,
    rule        text NOT NULL,
    message     text NOT NULL,
    raw_line    text,
    logged_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX tloaderror_load_id_idx ON dba.tloaderror (load_id, line_no);
CREATE INDEX tloaderror_rule_idx ON dba.tloaderror (rule);

ALTER TABLE dba.tloaderror OWNER TO feeds_owner;
GRANT SELECT ON dba.tloaderror TO feeds_etl, feeds_reader;

COMMENT ON TABLE dba.tloaderror IS 'One row per rejected row and broken rule (or per file for layout errors, line_no NULL or the header line). The history of every rejection.';
COMMENT ON COLUMN dba.tloaderror.error_id IS 'Order of detection.';
COMMENT ON COLUMN dba.tloaderror.load_id IS 'The load (file attempt) the row belongs to.';
COMMENT ON COLUMN dba.tloaderror.line_no IS 'Line number in the file (1 = first line, header included).';
COMMENT ON COLUMN dba.tloaderror.column_name IS 'Source column (header name, or #n for a position) that broke the rule; NULL for whole-row rules.';
COMMENT ON COLUMN dba.tloaderror.raw_value IS 'The value as read, before any cast.';
COMMENT ON COLUMN dba.tloaderror.rule IS 'The rule: required, type, format, regex, email, allowed, min, max, max_length, field_count, duplicate_key, header, …';
COMMENT ON COLUMN dba.tloaderror.message IS 'What is wrong, for a person.';
COMMENT ON COLUMN dba.tloaderror.raw_line IS 'The whole row as read (fields joined by the delimiter).';
COMMENT ON COLUMN dba.tloaderror.logged_at IS 'When the rejection was recorded.';

COMMIT;
