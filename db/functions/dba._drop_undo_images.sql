-- dba._drop_undo_images: a load's typed before-images go with its dba.tundoimages row.
-- requires: table_dba_tundoimages
CREATE OR REPLACE FUNCTION dba._drop_undo_images()
RETURNS trigger
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Trigger tundoimages_drop_images (AFTER DELETE ON dba.tundoimages, for each row). A load's rows
   there go when its dba.tdataloads row goes (ON DELETE CASCADE):
     DELETE FROM dba.tdataloads WHERE load_id = 42;   -- its images go with it
   Deletes the load's images from the typed undo table, or drops the table when no load has
   images in it any more (no empty or orphan undo tables are left). Runs as feeds_owner, who
   owns the undo tables, whoever deletes the load.
*/
DECLARE
    v_undo regclass := to_regclass(OLD.undo_table);
BEGIN
    IF v_undo IS NULL THEN
        RETURN NULL;
    ELSIF EXISTS (SELECT 1 FROM dba.tundoimages s WHERE s.undo_table = OLD.undo_table) THEN
        EXECUTE format('DELETE FROM %s WHERE undo_load_id = $1', v_undo) USING OLD.load_id;
    ELSE
        EXECUTE format('DROP TABLE %s', v_undo);
    END IF;
    RETURN NULL;
END
$function$;

ALTER FUNCTION dba._drop_undo_images() OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._drop_undo_images() FROM PUBLIC;
COMMENT ON FUNCTION dba._drop_undo_images() IS
'Internal trigger function of dba.tundoimages (tundoimages_drop_images): deletes a load''s typed before-images with its row there, and drops the typed undo table when no load has images in it any more. Raises nothing of its own.';

CREATE OR REPLACE TRIGGER tundoimages_drop_images AFTER DELETE ON dba.tundoimages
    FOR EACH ROW EXECUTE FUNCTION dba._drop_undo_images();
COMMENT ON TRIGGER tundoimages_drop_images ON dba.tundoimages IS
'Deletes a load''s typed before-images (or drops their table when it would be empty) when its row here goes.';
