-- Deploy feeds:function_dba_undo_load to pg
-- Generated from db/functions/dba.undo_load.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.undo_load: take a load back.
CREATE OR REPLACE FUNCTION dba.undo_load(p_load_id bigint)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql:
     SELECT * FROM dba.undo_load(42);
   Removes the rows load 42 wrote (they carry load_id 42) and puts back the rows it overwrote
   (upsert) or removed (replace, replace_per_run) from their before-images (dba._restore_images:
   typed, or jsonb for loads from before typed images), then marks the load 'undone'; the images
   stay until the load row goes. Refuses with FD040 when a later load that is still in place
   overwrote or removed rows of this one (undo that load first), FD041 when the load is not
   loaded, FD001 when it does not exist. The job's undo_hook (if any) takes back what its
   post-load hook did, first (FD010 when it is missing).
*/
DECLARE
    v_load   dba.tdataloads;
    v_cfg    dba.timportconfig;
    v_target regclass;
    v_later  bigint[];
    v_del    bigint;
    v_back   bigint;
BEGIN
    v_load := dba._lock_load(p_load_id);
    IF v_load.status NOT IN ('loaded', 'loaded_with_rejects') THEN
        RAISE EXCEPTION 'load % cannot be undone: its status is %', p_load_id, v_load.status
              USING ERRCODE = 'FD041', HINT = 'Only loaded and loaded_with_rejects loads can be undone.';
    END IF;
    SELECT * INTO STRICT v_cfg FROM dba.timportconfig c WHERE c.config_id = v_load.config_id;
    v_target := to_regclass(v_cfg.target_table);
    IF v_target IS NULL THEN
        RAISE EXCEPTION 'target table % no longer exists', v_cfg.target_table USING ERRCODE = 'FD010';
    END IF;
    EXECUTE format('LOCK TABLE %s IN SHARE ROW EXCLUSIVE MODE', v_target);

    -- Later loads in place that kept images of this load's rows: typed (dba.tundoimages) or,
    -- from before typed images, jsonb (dba.tloadundo).
    SELECT array_agg(DISTINCT l.load_id ORDER BY l.load_id) INTO v_later
      FROM (SELECT s.load_id FROM dba.tundoimages s
             WHERE p_load_id = ANY (s.old_load_ids) AND s.target_table = v_target::text
            UNION
            SELECT u.load_id FROM dba.tloadundo u WHERE u.old_load_id = p_load_id AND u.target_table = v_target::text) l
      JOIN dba.tdataloads d ON d.load_id = l.load_id
     WHERE l.load_id > p_load_id AND d.status IN ('loaded', 'loaded_with_rejects');
    IF v_later IS NOT NULL THEN
        RAISE EXCEPTION 'load % cannot be undone: later load(s) % changed its rows', p_load_id, array_to_string(v_later, ', ')
              USING ERRCODE = 'FD040', HINT = format('Undo load %s first.', v_later[cardinality(v_later)]);
    END IF;

    PERFORM dba._undo_hook(v_cfg, p_load_id);
    EXECUTE format('DELETE FROM %s WHERE load_id = $1', v_target) USING p_load_id;
    GET DIAGNOSTICS v_del = ROW_COUNT;
    v_back := dba._restore_images(p_load_id, v_target);

    UPDATE dba.tdataloads d SET status = 'undone', finished_at = clock_timestamp(),
           error_message = format('undone: %s rows removed, %s rows restored', v_del, v_back)
     WHERE d.load_id = p_load_id
    RETURNING * INTO v_load;
    PERFORM dba.log(p_run_uuid => coalesce(v_load.run_uuid, '00000000-0000-0000-0000-000000000000'),
                    p_process_type => 'undo_load', p_load_id => p_load_id, p_level => 'warning',
                    p_message => format('load %s (%s) %s', p_load_id, v_load.file_name, v_load.error_message));
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba.undo_load(bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.undo_load(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.undo_load(bigint) TO feeds_etl;
COMMENT ON FUNCTION dba.undo_load(bigint) IS
'Undoes a load: runs the job''s undo_hook (what the post-load hook did), deletes the rows it wrote, restores the rows it overwrote or removed, marks it undone. Raises FD001 (unknown load), FD010 (target or undo hook gone), FD040 (a later load changed its rows), FD041 (not in a loaded state).';

COMMIT;
