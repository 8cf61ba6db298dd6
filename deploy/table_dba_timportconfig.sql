-- Deploy feeds:table_dba_timportconfig to pg
-- requires: schema_dba
BEGIN;

CREATE TABLE dba.timportconfig (
    config_id            integer GENERATED ALWAYS AS IDENTITY
                         CONSTRAINT timportconfig_pkey PRIMARY KEY,
    job_name             text NOT NULL
                         CONSTRAINT timportconfig_job_name_key UNIQUE
                         CONSTRAINT timportconfig_job_name_check CHECK (job_name ~ '^[a-z][a-z0-9_]{0,62}$'),
    enabled              boolean NOT NULL DEFAULT true,
    priority             integer NOT NULL DEFAULT 100,
    file_pattern         text NOT NULL
                         CONSTRAINT timportconfig_file_pattern_anchored CHECK (file_pattern ~ '^\^.*\$$'),
    inbox_dir            text NOT NULL,
    processing_dir       text NOT NULL,
    archive_dir          text NOT NULL,
    failed_dir           text NOT NULL,
    file_type            text NOT NULL DEFAULT 'csv'
                         CONSTRAINT timportconfig_file_type_check CHECK (file_type IN ('csv', 'txt', 'xlsx', 'xls')),
    sheet_name           text,
    delimiter            text NOT NULL DEFAULT ','
                         CONSTRAINT timportconfig_delimiter_check CHECK (length(delimiter) = 1 AND delimiter !~ '[\r\n"]'),
    quote_char           text NOT NULL DEFAULT '"'
                         CONSTRAINT timportconfig_quote_char_check CHECK (length(quote_char) = 1 AND quote_char !~ '[\r\n]'),
    encoding             text NOT NULL DEFAULT 'UTF8'
                         CONSTRAINT timportconfig_encoding_check CHECK (encoding IN ('UTF8', 'LATIN1', 'WIN1252')),
    has_header           boolean NOT NULL DEFAULT true,
    skip_lines           integer NOT NULL DEFAULT 0
                         CONSTRAINT timportconfig_skip_lines_check CHECK (skip_lines BETWEEN 0 AND 1000),
    null_markers         text[] NOT NULL DEFAULT '{""}',
    target_table         text NOT NULL,
    column_map           jsonb NOT NULL
                         CONSTRAINT timportconfig_column_map_check
                         CHECK (jsonb_typeof(column_map) = 'array' AND jsonb_array_length(column_map) > 0),
    load_mode            text NOT NULL DEFAULT 'append'
                         CONSTRAINT timportconfig_load_mode_check
                         CHECK (load_mode IN ('append', 'upsert', 'replace', 'replace_per_run')),
    key_columns          text[] NOT NULL DEFAULT '{}',
    duplicate_key_policy text NOT NULL DEFAULT 'reject'
                         CONSTRAINT timportconfig_duplicate_key_policy_check
                         CHECK (duplicate_key_policy IN ('last_wins', 'first_wins', 'reject')),
    header_policy        text NOT NULL DEFAULT 'strict'
                         CONSTRAINT timportconfig_header_policy_check
                         CHECK (header_policy IN ('strict', 'ignore_extra', 'by_position')),
    max_rejects          integer CONSTRAINT timportconfig_max_rejects_check CHECK (max_rejects >= 0),
    max_reject_ratio     numeric CONSTRAINT timportconfig_max_reject_ratio_check CHECK (max_reject_ratio BETWEEN 0 AND 1),
    post_load_hook       text,
    report_recipients    text[] NOT NULL DEFAULT '{}',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT timportconfig_dirs_absolute CHECK (
        inbox_dir ~ '^/' AND processing_dir ~ '^/' AND archive_dir ~ '^/' AND failed_dir ~ '^/'
        AND concat_ws('/', inbox_dir, processing_dir, archive_dir, failed_dir) !~ '(^|/)\.\.(/|$)'
        AND concat_ws('/', inbox_dir, processing_dir, archive_dir, failed_dir) !~ '[[:cntrl:]]'),
    CONSTRAINT timportconfig_upsert_needs_keys CHECK (load_mode <> 'upsert' OR cardinality(key_columns) > 0)
);

CREATE INDEX timportconfig_enabled_priority_idx ON dba.timportconfig (priority, job_name) WHERE enabled;

ALTER TABLE dba.timportconfig OWNER TO feeds_owner;
GRANT SELECT ON dba.timportconfig TO feeds_etl, feeds_reader;

COMMENT ON TABLE dba.timportconfig IS 'One row per import job: which files it takes, how to read them, where they go. A job that cannot work is refused on insert/update (see dba._timportconfig_check).';
COMMENT ON COLUMN dba.timportconfig.config_id IS 'Surrogate key of the job.';
COMMENT ON COLUMN dba.timportconfig.job_name IS 'Unique job name: lower case, digits and underscores.';
COMMENT ON COLUMN dba.timportconfig.enabled IS 'Disabled jobs match no file and load nothing.';
COMMENT ON COLUMN dba.timportconfig.priority IS 'When several enabled jobs match a file name, the lowest priority wins; a tie is an error (FD002).';
COMMENT ON COLUMN dba.timportconfig.file_pattern IS 'Anchored regular expression (^…$) matched against the file name; must compile.';
COMMENT ON COLUMN dba.timportconfig.inbox_dir IS 'Absolute directory where files arrive (the file watcher reads it).';
COMMENT ON COLUMN dba.timportconfig.processing_dir IS 'Absolute directory the engine reads files from; it reads nowhere else.';
COMMENT ON COLUMN dba.timportconfig.archive_dir IS 'Absolute directory loaded (and duplicate) files are archived to.';
COMMENT ON COLUMN dba.timportconfig.failed_dir IS 'Absolute directory failed files are moved to, each with a .reason.txt.';
COMMENT ON COLUMN dba.timportconfig.file_type IS 'csv, txt (delimited text), xlsx or xls; Excel files are converted to CSV before loading.';
COMMENT ON COLUMN dba.timportconfig.sheet_name IS 'Excel sheet to convert, by name or 1-based index; NULL means the first sheet.';
COMMENT ON COLUMN dba.timportconfig.delimiter IS 'Field delimiter, one character.';
COMMENT ON COLUMN dba.timportconfig.quote_char IS 'Quote character, one character.';
COMMENT ON COLUMN dba.timportconfig.encoding IS 'File encoding: UTF8, LATIN1 or WIN1252.';
COMMENT ON COLUMN dba.timportconfig.has_header IS 'Whether the first line (after skip_lines) is a header row.';
COMMENT ON COLUMN dba.timportconfig.skip_lines IS 'Lines to skip before the header (or before the data when there is no header).';
COMMENT ON COLUMN dba.timportconfig.null_markers IS 'Values read as NULL after trimming, e.g. {"", "-", "NULL"}.';
COMMENT ON COLUMN dba.timportconfig.target_table IS 'Schema-qualified target table; must exist and have a load_id bigint column.';
COMMENT ON COLUMN dba.timportconfig.column_map IS 'JSON array, one object per source column: source (header name or array of accepted names; null = any), position (1-based, optional), target, type (text, integer, bigint, numeric, boolean, date, timestamp), format, required, trim, rules {regex, email, allowed, min, max, max_length}; or {target, from_file_name: regex with one capture group}. See docs/configuration.md.';
COMMENT ON COLUMN dba.timportconfig.load_mode IS 'append, upsert, replace or replace_per_run.';
COMMENT ON COLUMN dba.timportconfig.key_columns IS 'Target columns that identify a row (upsert; duplicate detection); need a unique index on the target.';
COMMENT ON COLUMN dba.timportconfig.duplicate_key_policy IS 'Same key twice in one file: last_wins, first_wins or reject (every row of that key).';
COMMENT ON COLUMN dba.timportconfig.header_policy IS 'strict (same columns, same order), ignore_extra (mapped columns found by name, others ignored) or by_position (names ignored).';
COMMENT ON COLUMN dba.timportconfig.max_rejects IS 'More rejected rows than this fails the whole file (FD030); NULL = no limit.';
COMMENT ON COLUMN dba.timportconfig.max_reject_ratio IS 'A rejected/read ratio above this fails the whole file (FD030); NULL = no limit.';
COMMENT ON COLUMN dba.timportconfig.post_load_hook IS 'Function name (schema.name) taking the load id (bigint), run after a load in the same transaction.';
COMMENT ON COLUMN dba.timportconfig.report_recipients IS 'E-mail addresses that receive this job''s part of each run report.';
COMMENT ON COLUMN dba.timportconfig.created_at IS 'When the job was created.';
COMMENT ON COLUMN dba.timportconfig.updated_at IS 'When the job was last changed.';

COMMIT;
