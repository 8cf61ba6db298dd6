-- Deploy feeds:function_dba__retire_load to pg
-- Generated from db/functions/dba._retire_load.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._retire_load: take out what is left of a load whose rows later loads already replaced.
-- requires: function_dba__undo_hook
-- requires: table_dba_tloadundo
CREATE OR REPLACE FUNCTION dba._retire_load(p_load_id bigint, p_by bigint)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the supersede of dba._apply_resend_policy() when dba.undo_load() refuses (FD040)
   because later loads changed or removed the earlier load's rows (a replace_per_run job's next
   run emptied the table). As the owner:
     SELECT * FROM dba._retire_load(41, 42);   -- load 42 supersedes load 41
   Takes back the post-load hook's work (undo_hook), deletes the rows of the load still in the
   target, drops the images of its rows that later loads kept (dba._forget_images: undoing
   those never brings the superseded rows back), and marks the load 'undone'. Rows it
   overwrote stay as later loads left them. Raises FD010 when the target or the undo hook is missing.
*/
DECLARE
    v_load   dba.tdataloads;
    v_cfg    dba.timportconfig;
    v_target regclass;
    v_del    bigint;
    v_kept   bigint;
BEGIN
    SELECT * INTO STRICT v_load FROM dba.tdataloads WHERE load_id = p_load_id FOR UPDATE;
    SELECT * INTO STRICT v_cfg FROM dba.timportconfig WHERE config_id = v_load.config_id;
    v_target := to_regclass(v_cfg.target_table);
    IF v_target IS NULL THEN
        RAISE EXCEPTION 'target table % no longer exists', v_cfg.target_table USING ERRCODE = 'FD010';
    END IF;
    PERFORM dba._undo_hook(v_cfg, p_load_id);
    EXECUTE format('DELETE FROM %s WHERE load_id = $1', v_target) USING p_load_id;
    GET DIAGNOSTICS v_del = ROW_COUNT;
    v_kept := dba._forget_images(p_load_id, v_target);
    UPDATE dba.tdataloads d SET status = 'undone', finished_at = clock_timestamp(),
           error_message = format('superseded by load %s: %s rows removed, %s rows already replaced by later loads',
                                  p_by, v_del, v_kept)
     WHERE d.load_id = p_load_id
    RETURNING * INTO v_load;
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba._retire_load(bigint, bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._retire_load(bigint, bigint) FROM PUBLIC;
COMMENT ON FUNCTION dba._retire_load(bigint, bigint) IS
'Internal: supersedes a load whose rows later loads already changed: runs the undo hook, deletes its remaining rows, forgets the kept images of its rows, marks it undone. Raises FD010 (target or undo hook missing).';

COMMIT;
