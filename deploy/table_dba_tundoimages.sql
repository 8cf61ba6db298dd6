-- Deploy feeds:table_dba_tundoimages to pg
-- requires: table_dba_tdataloads
-- requires: schema_undo
BEGIN;

CREATE TABLE dba.tundoimages (
    load_id      bigint NOT NULL CONSTRAINT tundoimages_load_id_fkey REFERENCES dba.tdataloads (load_id) ON DELETE CASCADE,
    undo_table   text NOT NULL,
    target_table text NOT NULL,
    rows_kept    bigint NOT NULL DEFAULT 0 CONSTRAINT tundoimages_rows_kept_check CHECK (rows_kept >= 0),
    old_load_ids bigint[] NOT NULL DEFAULT '{}',
    CONSTRAINT tundoimages_pkey PRIMARY KEY (load_id, undo_table)
);
CREATE INDEX tundoimages_undo_table_idx ON dba.tundoimages (undo_table);

ALTER TABLE dba.tundoimages OWNER TO feeds_owner;
GRANT SELECT ON dba.tundoimages TO feeds_reader;

COMMENT ON TABLE dba.tundoimages IS 'Where a load''s typed before-images are: one row per load and typed table in schema undo that holds rows the load overwrote (upsert) or removed (replace, replace_per_run). Deleting the row (with its load: ON DELETE CASCADE) deletes those images, and drops the typed table when no load has images in it any more (trigger tundoimages_drop_images).';
COMMENT ON COLUMN dba.tundoimages.load_id IS 'The load that overwrote or removed the rows; their images carry it in the typed table''s undo_load_id column.';
COMMENT ON COLUMN dba.tundoimages.undo_table IS 'The typed table (schema undo, one per target and column layout) as a regclass name, e.g. undo.eng_fx_people_3f0c9a1b2d4e.';
COMMENT ON COLUMN dba.tundoimages.target_table IS 'Target table of the rows (schema-qualified, as regclass prints it).';
COMMENT ON COLUMN dba.tundoimages.rows_kept IS 'How many before-images the load keeps in that table.';
COMMENT ON COLUMN dba.tundoimages.old_load_ids IS 'The loads that had written the kept rows (their load_id column), ascending: undoing one of them is refused (FD040) while this load is in place.';

COMMIT;
