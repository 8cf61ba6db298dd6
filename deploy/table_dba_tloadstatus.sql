-- Deploy feeds:table_dba_tloadstatus to pg
-- requires: schema_dba
-- requires: role_feeds_etl
-- requires: role_feeds_reader
BEGIN;

CREATE TABLE dba.tloadstatus (
    status      text CONSTRAINT tloadstatus_pkey PRIMARY KEY,
    is_loaded   boolean NOT NULL,
    is_live     boolean NOT NULL,
    is_final    boolean NOT NULL,
    description text NOT NULL
);
INSERT INTO dba.tloadstatus (status, is_loaded, is_live, is_final, description) VALUES
    ('pending',             false, true,  false, 'registered, waiting for dba.run_import() or dba.finish_load()'),
    ('loaded',              true,  true,  true,  'loaded, every row valid'),
    ('loaded_with_rejects', true,  true,  true,  'loaded; some rows were rejected (dba.tloaderror)'),
    ('failed',              false, false, true,  'nothing loaded; error_sqlstate and error_message say why'),
    ('duplicate',           false, false, true,  'the job already has this content (duplicate_of); nothing loaded'),
    ('undone',              false, false, true,  'loaded, then removed again by dba.undo_load()');

ALTER TABLE dba.tloadstatus OWNER TO feeds_owner;
GRANT SELECT ON dba.tloadstatus TO feeds_etl, feeds_reader;

COMMENT ON TABLE dba.tloadstatus IS
'The statuses a load (dba.tdataloads.status) can have, one row each, and what they mean: the one list shims and reports read instead of spelling the values out.';
COMMENT ON COLUMN dba.tloadstatus.status IS 'The value in dba.tdataloads.status.';
COMMENT ON COLUMN dba.tloadstatus.is_loaded IS 'The file''s rows are in the target table in a committed load (what "loaded" means to a shim, e.g. before deleting a remote file).';
COMMENT ON COLUMN dba.tloadstatus.is_live IS 'Counts for exactly-once by content: a second file with the same sha256 for the job becomes a duplicate (the partial unique index tdataloads_config_sha256_key).';
COMMENT ON COLUMN dba.tloadstatus.is_final IS 'The file''s fate is decided; the runner may archive or quarantine it.';
COMMENT ON COLUMN dba.tloadstatus.description IS 'What the status means, for a person.';

COMMIT;
