-- Deploy feeds:function_dba__restore_images to pg
-- Generated from db/functions/dba._restore_images.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._restore_images: put back the rows a load overwrote or removed, from its before-images.
-- requires: table_dba_tundoimages
-- requires: table_dba_tloadundo
-- requires: function_dba__image_columns
CREATE OR REPLACE FUNCTION dba._restore_images(p_load_id bigint, p_target regclass)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the restore step of dba.undo_load(), after it deleted the load's own rows:
     SELECT dba._restore_images(42, 'eng_fx.people');   -- rows put back
   Typed images (dba.tundoimages names the tables) go back column for column: the columns the
   target and the image both have, OVERRIDING SYSTEM VALUE for identity columns; generated
   columns are computed again, and a column added to the target after the image was kept takes
   its default. Images kept as jsonb in dba.tloadundo (loads from before typed images) go back
   through jsonb_populate_record, as they always did. Raises what the INSERT raises (e.g. 23502
   when a column added since is NOT NULL without a default), FD010 when a typed undo table
   was dropped by hand.
*/
DECLARE
    v_name text;
    v_undo regclass;
    v_cols text[];
    v_n    bigint;
    v_back bigint := 0;
BEGIN
    FOR v_name IN SELECT s.undo_table FROM dba.tundoimages s
                   WHERE s.load_id = p_load_id AND s.target_table = p_target::text AND s.rows_kept > 0 ORDER BY s.undo_table LOOP
        v_undo := to_regclass(v_name);
        IF v_undo IS NULL THEN
            RAISE EXCEPTION 'the before-images of load % are gone: table % no longer exists', p_load_id, v_name
                  USING ERRCODE = 'FD010';
        END IF;
        v_cols := dba._image_columns(p_target, v_undo, true);
        EXECUTE format('INSERT INTO %1$s (%2$s) OVERRIDING SYSTEM VALUE SELECT %2$s FROM %3$s WHERE undo_load_id = $1',
                       p_target, (SELECT string_agg(quote_ident(c), ', ') FROM unnest(v_cols) c), v_undo)
        USING p_load_id;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_back := v_back + v_n;
    END LOOP;
    v_cols := dba._image_columns(p_target, NULL, true);
    EXECUTE format('INSERT INTO %1$s (%2$s) OVERRIDING SYSTEM VALUE
                    SELECT %3$s FROM dba.tloadundo u, jsonb_populate_record(NULL::%1$s, u.row_image) r
                     WHERE u.load_id = $1 AND u.target_table = $2 ORDER BY u.undo_id',
                   p_target, (SELECT string_agg(quote_ident(c), ', ') FROM unnest(v_cols) c),
                   (SELECT string_agg('r.' || quote_ident(c), ', ') FROM unnest(v_cols) c))
    USING p_load_id, p_target::text;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_back + v_n;
END
$function$;

ALTER FUNCTION dba._restore_images(bigint, regclass) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._restore_images(bigint, regclass) FROM PUBLIC;
COMMENT ON FUNCTION dba._restore_images(bigint, regclass) IS
'Internal: inserts back into the target every row the load overwrote or removed, from its typed images (dba.tundoimages) and from jsonb images of older loads (dba.tloadundo); returns the count. Raises what the INSERT raises (e.g. 23502), FD010 (a typed undo table dropped by hand).';

COMMIT;
