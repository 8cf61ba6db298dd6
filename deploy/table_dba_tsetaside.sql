-- Deploy feeds:table_dba_tsetaside to pg
-- requires: table_dba_tdataloads
BEGIN;

-- Unlogged: its rows live only while one fast load runs (dba._set_aside writes them, dba._reject_set_aside
-- reads and deletes them in the same transaction).
CREATE UNLOGGED TABLE dba.tsetaside (
    load_id bigint NOT NULL,
    line_no bigint NOT NULL
);
ALTER TABLE dba.tsetaside OWNER TO feeds_owner;
COMMENT ON TABLE dba.tsetaside IS 'The lines a fast way''s statement set aside because they are not plainly valid (a broken rule, a value that does not print back, a wrong number of fields), while it loads the others; dba._reject_set_aside validates them and empties the load''s rows again within the same load. Internal to the engine.';
COMMENT ON COLUMN dba.tsetaside.load_id IS 'The load (dba.tdataloads.load_id) whose statement set the line aside.';
COMMENT ON COLUMN dba.tsetaside.line_no IS 'The line number of the record in the file.';

COMMIT;
