-- Deploy feeds:table_dba_tloadundo to pg
-- requires: table_dba_tdataloads
BEGIN;

CREATE TABLE dba.tloadundo (
    undo_id      bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT tloadundo_pkey PRIMARY KEY,
    load_id      bigint NOT NULL CONSTRAINT tloadundo_load_id_fkey REFERENCES dba.tdataloads (load_id) ON DELETE CASCADE,
    target_table text NOT NULL,
    old_load_id  bigint,
    row_image    jsonb NOT NULL
);
CREATE INDEX tloadundo_load_id_idx ON dba.tloadundo (load_id);
CREATE INDEX tloadundo_old_load_id_idx ON dba.tloadundo (old_load_id);

ALTER TABLE dba.tloadundo OWNER TO feeds_owner;
GRANT SELECT ON dba.tloadundo TO feeds_reader;

COMMENT ON TABLE dba.tloadundo IS 'Before-images kept as jsonb of the target rows a load overwrote (upsert) or removed (replace, replace_per_run), so dba.undo_load() can restore them: loads from before typed images; later loads keep theirs typed (schema undo, dba.tundoimages).';
COMMENT ON COLUMN dba.tloadundo.undo_id IS 'Order of capture.';
COMMENT ON COLUMN dba.tloadundo.load_id IS 'The load that overwrote or removed the row.';
COMMENT ON COLUMN dba.tloadundo.target_table IS 'Target table of the row (schema-qualified).';
COMMENT ON COLUMN dba.tloadundo.old_load_id IS 'The load that had written the row before (its load_id column), if any.';
COMMENT ON COLUMN dba.tloadundo.row_image IS 'The whole row as it was, as jsonb.';

COMMIT;
