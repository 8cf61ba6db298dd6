-- Deploy feeds:function_dba_finish_run to pg
-- Generated from db/functions/dba.finish_run.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.finish_run: mark a run finished.
CREATE OR REPLACE FUNCTION dba.finish_run(p_run_uuid uuid)
RETURNS dba.trun
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql:
     SELECT * FROM dba.finish_run('3f0c…'::uuid);
*/
DECLARE
    v_run dba.trun;
BEGIN
    UPDATE dba.trun SET finished_at = clock_timestamp()
     WHERE run_uuid = p_run_uuid
    RETURNING * INTO v_run;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'run % does not exist', p_run_uuid
              USING ERRCODE = 'FD001', HINT = 'Start runs with dba.start_run().';
    END IF;
    PERFORM dba.log(p_run_uuid => p_run_uuid, p_process_type => v_run.process_type,
                    p_message => 'run finished');
    RETURN v_run;
END
$function$;

ALTER FUNCTION dba.finish_run(uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.finish_run(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.finish_run(uuid) TO feeds_etl;
COMMENT ON FUNCTION dba.finish_run(uuid) IS
'Marks a run finished and logs it. Raises FD001 when the run does not exist.';

COMMIT;
