-- Deploy feeds:function_dba__apply_resend_policy to pg
-- Generated from db/functions/dba._apply_resend_policy.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._apply_resend_policy: a new file under the name of one the job has loaded.
-- requires: table_dba_timportconfig_resend_policy
-- requires: function_dba__retire_load
-- requires: function_dba_undo_load
CREATE OR REPLACE FUNCTION dba._apply_resend_policy(p_load_id bigint)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; called by dba._load_file() for a pending load, before anything is staged or emptied.
   As the owner:
     SELECT status, error_message FROM dba._apply_resend_policy(42);
   Earlier loads of the job under the same file name that are still loaded follow the job's
   resend_policy: 'new' leaves them; 'refuse' fails this load (FD045, the earlier load stays);
   'supersede' undoes them (dba.undo_load: rows, restored rows, undo hook), newest first, or,
   where later loads already changed their rows, retires them (dba._retire_load), and lets this
   load go on. A failure while superseding fails this load with its SQLSTATE; nothing is undone.
   Returns the load as it now is. Raises nothing.
*/
DECLARE
    v_load  dba.tdataloads;
    v_cfg   dba.timportconfig;
    v_prev  bigint[];
    v_id    bigint;
    v_state text;
    v_msg   text;
BEGIN
    SELECT * INTO STRICT v_load FROM dba.tdataloads WHERE load_id = p_load_id;
    SELECT * INTO STRICT v_cfg FROM dba.timportconfig WHERE config_id = v_load.config_id;
    IF v_load.status <> 'pending' OR v_cfg.resend_policy = 'new' THEN
        RETURN v_load;
    END IF;
    SELECT array_agg(d.load_id ORDER BY d.load_id DESC) INTO v_prev FROM dba.tdataloads d
     WHERE d.config_id = v_load.config_id AND d.file_name = v_load.file_name AND d.load_id <> p_load_id
       AND d.status IN ('loaded', 'loaded_with_rejects');
    IF v_prev IS NULL THEN
        RETURN v_load;
    END IF;
    BEGIN
        IF v_cfg.resend_policy = 'refuse' THEN
            RAISE EXCEPTION '%: a file of this name was loaded before (load %); job % refuses re-sends',
                  v_load.file_name, array_to_string(v_prev, ', '), v_cfg.job_name USING ERRCODE = 'FD045';
        END IF;
        FOREACH v_id IN ARRAY v_prev LOOP
            BEGIN
                PERFORM dba.undo_load(v_id);
                UPDATE dba.tdataloads SET error_message = format('superseded by load %s: %s', p_load_id, error_message)
                 WHERE load_id = v_id;
            EXCEPTION WHEN SQLSTATE 'FD040' THEN
                PERFORM dba._retire_load(v_id, p_load_id);
            END;
        END LOOP;
        PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                        p_level => 'warning',
                        p_message => format('%s: re-sent; supersedes load %s (undone)', v_load.file_name,
                                            array_to_string(v_prev, ', ')));
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        PERFORM dba._fail_load(p_load_id, v_state,
                               CASE WHEN v_state = 'FD045' THEN v_msg
                                    ELSE format('%s: cannot supersede load %s: %s', v_load.file_name,
                                                array_to_string(v_prev, ', '), v_msg) END,
                               p_log => true);
    END;
    SELECT * INTO STRICT v_load FROM dba.tdataloads WHERE load_id = p_load_id;
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba._apply_resend_policy(bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._apply_resend_policy(bigint) FROM PUBLIC;
COMMENT ON FUNCTION dba._apply_resend_policy(bigint) IS
'Internal: applies the job''s resend_policy to a pending load whose file name the job has loaded before: new (nothing), refuse (fails the load with FD045), supersede (undoes or retires the earlier loads of that name first). Records a failure on the load instead of raising.';

COMMIT;
