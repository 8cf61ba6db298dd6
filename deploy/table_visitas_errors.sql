-- Deploy feeds:table_visitas_errors to pg
-- requires: schema_visitas
BEGIN;

CREATE TABLE visitas.errors (
    error_id  bigint NOT NULL CONSTRAINT errors_pkey PRIMARY KEY,
    run_uuid  uuid NOT NULL,
    load_id   bigint NOT NULL,
    file_name text NOT NULL,
    line_no   bigint,
    field     text,
    code      text NOT NULL,
    message   text NOT NULL,
    raw_value text,
    raw_line  text,
    logged_at timestamptz NOT NULL
);
CREATE INDEX errors_file_line_idx ON visitas.errors (file_name, line_no);

ALTER TABLE visitas.errors OWNER TO feeds_owner;
GRANT SELECT ON visitas.errors TO feeds_etl, feeds_reader;

COMMENT ON TABLE visitas.errors IS 'Rejected rows and layout failures of the latest Visitas run, copied from dba.tloaderror by visitas.collect_errors() (which also empties it when a new run starts). dba.tloaderror keeps the full history.';
COMMENT ON COLUMN visitas.errors.error_id IS 'The dba.tloaderror row this is a copy of.';
COMMENT ON COLUMN visitas.errors.run_uuid IS 'The run (dba.trun) of the load.';
COMMENT ON COLUMN visitas.errors.load_id IS 'The load (dba.tdataloads), i.e. the file attempt.';
COMMENT ON COLUMN visitas.errors.file_name IS 'File the error was found in.';
COMMENT ON COLUMN visitas.errors.line_no IS 'Line number in the file (1 = the header); NULL for whole-file errors.';
COMMENT ON COLUMN visitas.errors.field IS 'Source column (header name) that broke the rule; NULL for whole-row and layout errors.';
COMMENT ON COLUMN visitas.errors.code IS 'The rule that failed (email, format, type, allowed, min, required, field_count, header, …).';
COMMENT ON COLUMN visitas.errors.message IS 'What is wrong, for a person.';
COMMENT ON COLUMN visitas.errors.raw_value IS 'The value as read.';
COMMENT ON COLUMN visitas.errors.raw_line IS 'The whole line as read.';
COMMENT ON COLUMN visitas.errors.logged_at IS 'When the engine recorded the rejection.';

COMMIT;
