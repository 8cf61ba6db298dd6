-- dba._fail_load: one load recorded as failed, with its SQLSTATE and reason.
CREATE OR REPLACE FUNCTION dba._fail_load(p_load_id bigint, p_sqlstate text, p_message text,
                                          p_log boolean DEFAULT false, p_run_uuid uuid DEFAULT NULL)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the steps that catch a load's error and record it instead of raising (dba._admit_load,
   dba._stage_file, dba._load_file, dba._apply_resend_policy, dba._import_file) call it:
     v_load := dba._fail_load(42, 'FD013', 'a.csv line 3: cannot be read as UTF8 text: …');
     v_load := dba._fail_load(42, v_state, v_msg, p_log => true);   -- and log "failed [<state>] <reason>"
   Sets status 'failed', error_sqlstate, error_message and finished_at (and run_uuid, when
   p_run_uuid is given: the run that found the failure), and returns the row. With p_log, also
   logs the failure at level error for the load's run. Raises FD001 when the load
   does not exist.
*/
DECLARE
    v_load dba.tdataloads;
BEGIN
    UPDATE dba.tdataloads d
       SET status = 'failed', error_sqlstate = p_sqlstate, error_message = p_message, finished_at = clock_timestamp(),
           run_uuid = coalesce(p_run_uuid, d.run_uuid)
     WHERE d.load_id = p_load_id
    RETURNING * INTO v_load;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'load % does not exist', p_load_id USING ERRCODE = 'FD001';
    END IF;
    IF p_log THEN
        PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_level => 'error',
                        p_load_id => p_load_id, p_message => format('failed [%s] %s', p_sqlstate, p_message));
    END IF;
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba._fail_load(bigint, text, text, boolean, uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._fail_load(bigint, text, text, boolean, uuid) FROM PUBLIC;
COMMENT ON FUNCTION dba._fail_load(bigint, text, text, boolean, uuid) IS
'Internal: records one load as failed with its SQLSTATE and reason (and, with p_log, logs it at level error) and returns its row. Raises FD001 when the load does not exist.';
