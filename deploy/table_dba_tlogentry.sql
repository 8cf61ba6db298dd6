-- Deploy feeds:table_dba_tlogentry to pg
-- requires: schema_dba
BEGIN;

CREATE TABLE dba.tlogentry (
    log_id        bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT tlogentry_pkey PRIMARY KEY,
    entry_uuid    uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT tlogentry_entry_uuid_key UNIQUE,
    logged_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    run_uuid      uuid NOT NULL,
    process_type  text NOT NULL,
    step_counter  integer NOT NULL,
    user_name     text NOT NULL DEFAULT session_user,
    step_runtime  interval NOT NULL,
    total_runtime interval NOT NULL,
    level         text NOT NULL DEFAULT 'info'
                  CONSTRAINT tlogentry_level_check CHECK (level IN ('debug', 'info', 'warning', 'error')),
    load_id       bigint,
    message       text NOT NULL,
    replayed      boolean NOT NULL DEFAULT false
);
CREATE INDEX tlogentry_run_uuid_idx ON dba.tlogentry (run_uuid, step_counter);
CREATE INDEX tlogentry_logged_at_idx ON dba.tlogentry (logged_at);
CREATE INDEX tlogentry_load_id_idx ON dba.tlogentry (load_id) WHERE load_id IS NOT NULL;

ALTER TABLE dba.tlogentry OWNER TO feeds_owner;
GRANT SELECT ON dba.tlogentry TO feeds_etl, feeds_reader;

COMMENT ON TABLE dba.tlogentry IS 'Step log of every run, written only through dba.log(); shims fall back to a CSV file with the same columns and replay it later.';
COMMENT ON COLUMN dba.tlogentry.log_id IS 'Order of arrival.';
COMMENT ON COLUMN dba.tlogentry.entry_uuid IS 'Identity of the line, chosen by the writer: replaying a fallback file twice inserts each line once.';
COMMENT ON COLUMN dba.tlogentry.logged_at IS 'When the step was logged (for a replayed line: when it happened).';
COMMENT ON COLUMN dba.tlogentry.run_uuid IS 'Run the step belongs to.';
COMMENT ON COLUMN dba.tlogentry.process_type IS 'Which program or function logged it (run_import, file_watcher, send_mail, …).';
COMMENT ON COLUMN dba.tlogentry.step_counter IS '1, 2, 3, … within the run.';
COMMENT ON COLUMN dba.tlogentry.user_name IS 'Who logged it (database session user, or the OS user of a shim).';
COMMENT ON COLUMN dba.tlogentry.step_runtime IS 'Time since the previous step of the same run.';
COMMENT ON COLUMN dba.tlogentry.total_runtime IS 'Time since the first step of the same run.';
COMMENT ON COLUMN dba.tlogentry.level IS 'debug, info, warning or error.';
COMMENT ON COLUMN dba.tlogentry.load_id IS 'The load the step is about, if any.';
COMMENT ON COLUMN dba.tlogentry.message IS 'What happened.';
COMMENT ON COLUMN dba.tlogentry.replayed IS 'True when the line came from a fallback CSV file.';

COMMIT;
