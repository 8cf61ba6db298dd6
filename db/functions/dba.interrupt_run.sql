-- dba.interrupt_run: mark a run interrupted (stopped before it was done).
-- requires: table_dba_trun_interrupted_at
-- requires: function_dba_log
CREATE OR REPLACE FUNCTION dba.interrupt_run(p_run_uuid uuid, p_reason text DEFAULT 'interrupted')
RETURNS dba.trun
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a shim that caught Ctrl-C or SIGTERM:
     SELECT * FROM dba.interrupt_run('3f0c…'::uuid, 'SIGTERM after 3 of 11 events; checkpoint written');
   Sets finished_at and interrupted_at, and logs the reason at level warning.
   Raises FD001 when the run does not exist.
*/
DECLARE
    v_run dba.trun;
    v_now timestamptz := clock_timestamp();
BEGIN
    UPDATE dba.trun SET finished_at = v_now, interrupted_at = v_now
     WHERE run_uuid = p_run_uuid
    RETURNING * INTO v_run;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'run % does not exist', p_run_uuid
              USING ERRCODE = 'FD001', HINT = 'Start runs with dba.start_run().';
    END IF;
    PERFORM dba.log(p_run_uuid => p_run_uuid, p_process_type => v_run.process_type, p_level => 'warning',
                    p_message => 'run interrupted: ' || coalesce(p_reason, 'interrupted'));
    RETURN v_run;
END
$function$;

ALTER FUNCTION dba.interrupt_run(uuid, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.interrupt_run(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.interrupt_run(uuid, text) TO feeds_etl;
COMMENT ON FUNCTION dba.interrupt_run(uuid, text) IS
'Marks a run interrupted (Ctrl-C, SIGTERM): sets finished_at and interrupted_at and logs the reason. Raises FD001 when the run does not exist.';
