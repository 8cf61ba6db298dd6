-- Deploy feeds:table_dba_tclient to pg
-- requires: table_dba_timportconfig
BEGIN;

CREATE TABLE dba.tclient (
    client_name text NOT NULL CONSTRAINT tclient_pkey PRIMARY KEY
                CONSTRAINT tclient_client_name_check CHECK (client_name ~ '^[a-z][a-z0-9_-]{0,31}$'),
    job_name    text CONSTRAINT tclient_job_name_fkey REFERENCES dba.timportconfig (job_name)
                     ON UPDATE CASCADE ON DELETE CASCADE,
    inbox_dir   text NOT NULL CONSTRAINT tclient_inbox_dir_key UNIQUE
                CONSTRAINT tclient_inbox_dir_check CHECK (inbox_dir ~ '^/'),
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

ALTER TABLE dba.tclient OWNER TO feeds_owner;
GRANT SELECT ON dba.tclient TO feeds_etl, feeds_reader;

COMMENT ON TABLE dba.tclient IS 'One row per client upload account (feeds client add): the watcher takes its upload directory as an inbox and records the client with each load.';
COMMENT ON COLUMN dba.tclient.client_name IS 'Client name, also its OS account (chrooted, SFTP only, keys only).';
COMMENT ON COLUMN dba.tclient.job_name IS 'The only job the client may upload for; NULL: any job whose file pattern matches.';
COMMENT ON COLUMN dba.tclient.inbox_dir IS 'The client''s upload directory (absolute path), an inbox of the watcher.';
COMMENT ON COLUMN dba.tclient.created_at IS 'When the account was added.';

COMMIT;
