-- Deploy feeds:type_dba_draft_plan to pg
-- requires: schema_dba
BEGIN;

CREATE TYPE dba.draft_plan AS (
    file_name    text,
    file_size    bigint,
    sampled      boolean,
    sample_lines integer,
    encoding     text,
    line_ending  text,
    delimiter    text,
    quote_char   text,
    has_header   boolean,
    skip_lines   integer,
    job_name     text,
    target_table text,
    file_type    text,
    file_pattern text,
    base_dir     text,
    load_mode    text,
    key_columns  text[],
    candidate_key text,
    columns      jsonb,
    notes        text[],
    lines        text[]
);
ALTER TYPE dba.draft_plan OWNER TO feeds_owner;

COMMENT ON TYPE dba.draft_plan IS 'What dba.draft_job() inferred from a sample file, before it is rendered as an SQL script: the dialect, the job row and one entry per column.';
COMMENT ON COLUMN dba.draft_plan.file_name IS 'The sample''s file name (the original name for Excel files).';
COMMENT ON COLUMN dba.draft_plan.file_size IS 'Size of the file read, in bytes (the converted CSV for Excel files).';
COMMENT ON COLUMN dba.draft_plan.sampled IS 'True when only part of the file was read (first bytes and a spread of later ones, dba.draft_sample_ranges()).';
COMMENT ON COLUMN dba.draft_plan.sample_lines IS 'Number of whole lines in the sample.';
COMMENT ON COLUMN dba.draft_plan.encoding IS 'UTF8, LATIN1 or WIN1252, told apart by the bytes.';
COMMENT ON COLUMN dba.draft_plan.line_ending IS 'LF, CRLF, CR, mixed or none (a single line).';
COMMENT ON COLUMN dba.draft_plan.delimiter IS 'Field delimiter: the candidate (, ; tab |) that gives the most lines the same field count.';
COMMENT ON COLUMN dba.draft_plan.quote_char IS 'Quote character.';
COMMENT ON COLUMN dba.draft_plan.has_header IS 'Whether the first line after the preamble is a header.';
COMMENT ON COLUMN dba.draft_plan.skip_lines IS 'Preamble lines before the header (or the data).';
COMMENT ON COLUMN dba.draft_plan.job_name IS 'Job name for dba.timportconfig.';
COMMENT ON COLUMN dba.draft_plan.target_table IS 'schema.table to create.';
COMMENT ON COLUMN dba.draft_plan.file_type IS 'csv, txt, xlsx or xls, from the file name.';
COMMENT ON COLUMN dba.draft_plan.file_pattern IS 'Anchored regex from the file name with its digits generalised.';
COMMENT ON COLUMN dba.draft_plan.base_dir IS 'Directory under which the job''s inbox, processing, archive and failed directories go.';
COMMENT ON COLUMN dba.draft_plan.load_mode IS 'append, upsert, replace or replace_per_run.';
COMMENT ON COLUMN dba.draft_plan.key_columns IS 'Key columns of the job (upsert only).';
COMMENT ON COLUMN dba.draft_plan.candidate_key IS 'A column unique and never empty in the sample, offered for upsert; NULL when there is none.';
COMMENT ON COLUMN dba.draft_plan.columns IS 'JSON array, one object per column: position, sql_type, note and map (the column-map entry, exactly as dba.timportconfig.column_map takes it).';
COMMENT ON COLUMN dba.draft_plan.notes IS 'Remarks on the whole file, rendered as SQL comments.';
COMMENT ON COLUMN dba.draft_plan.lines IS 'The sample''s whole lines, decoded; the dry run stages them.';

COMMIT;
