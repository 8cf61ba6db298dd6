-- Deploy feeds:table_dba_trun to pg
-- requires: schema_dba
BEGIN;

CREATE TABLE dba.trun (
    run_uuid     uuid NOT NULL DEFAULT gen_random_uuid() CONSTRAINT trun_pkey PRIMARY KEY,
    process_type text NOT NULL,
    as_of        date NOT NULL DEFAULT current_date,
    started_by   text NOT NULL DEFAULT session_user,
    started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at  timestamptz
);
CREATE INDEX trun_started_at_idx ON dba.trun (started_at DESC);

ALTER TABLE dba.trun OWNER TO feeds_owner;
GRANT SELECT ON dba.trun TO feeds_etl, feeds_reader;

COMMENT ON TABLE dba.trun IS 'One row per run (a cron job, a psql session, a test): groups loads, log lines and the report. Created by dba.start_run().';
COMMENT ON COLUMN dba.trun.run_uuid IS 'The run''s identifier, carried by every log line and load of the run.';
COMMENT ON COLUMN dba.trun.process_type IS 'What started the run, e.g. feeds_run, visitas, psql.';
COMMENT ON COLUMN dba.trun.as_of IS 'Reference date of the run ("today" for period counters); settable for reproducible runs.';
COMMENT ON COLUMN dba.trun.started_by IS 'Database user that started the run.';
COMMENT ON COLUMN dba.trun.started_at IS 'When the run started.';
COMMENT ON COLUMN dba.trun.finished_at IS 'When the run finished (set by dba.finish_run), NULL while running.';

COMMIT;
