-- Deploy feeds:function_dba__forget_images to pg
-- Generated from db/functions/dba._forget_images.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._forget_images: drop the images later loads kept of a superseded load's rows.
-- requires: table_dba_tundoimages
-- requires: table_dba_tloadundo
CREATE OR REPLACE FUNCTION dba._forget_images(p_load_id bigint, p_target regclass)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba._retire_load() takes a superseded load out for good: undoing the later loads
   that overwrote or removed its rows must never bring them back.
     SELECT dba._forget_images(41, 'visitas.statistics');   -- images dropped
   Deletes, in every typed undo table, the images of rows that load p_load_id had written (their
   load_id) and updates dba.tundoimages (rows_kept, old_load_ids); deletes its rows' jsonb
   images in dba.tloadundo (loads from before typed images). Returns how many it dropped.
*/
DECLARE
    v_set  record;
    v_n    bigint;
    v_gone bigint := 0;
BEGIN
    FOR v_set IN SELECT s.load_id, s.undo_table, to_regclass(s.undo_table) AS undo FROM dba.tundoimages s
                  WHERE p_load_id = ANY (s.old_load_ids) AND s.target_table = p_target::text LOOP
        CONTINUE WHEN v_set.undo IS NULL;
        EXECUTE format('DELETE FROM %s WHERE undo_load_id = $1 AND load_id = $2', v_set.undo) USING v_set.load_id, p_load_id;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        UPDATE dba.tundoimages s SET rows_kept = s.rows_kept - v_n, old_load_ids = array_remove(s.old_load_ids, p_load_id)
         WHERE s.load_id = v_set.load_id AND s.undo_table = v_set.undo_table;
        v_gone := v_gone + v_n;
    END LOOP;
    DELETE FROM dba.tloadundo u WHERE u.old_load_id = p_load_id AND u.target_table = p_target::text;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_gone + v_n;
END
$function$;

ALTER FUNCTION dba._forget_images(bigint, regclass) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._forget_images(bigint, regclass) FROM PUBLIC;
COMMENT ON FUNCTION dba._forget_images(bigint, regclass) IS
'Internal: deletes the before-images (typed and jsonb) that later loads kept of rows the load had written, so undoing them never brings those rows back; returns the count. Raises nothing of its own.';

COMMIT;
