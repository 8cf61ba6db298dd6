-- dba._close_load: the last step of both ways: the load logged, the job's hook run, the outcome set.
CREATE OR REPLACE FUNCTION dba._close_load(p_load_id bigint, p_cfg dba.timportconfig, p_read bigint, p_inserted bigint,
                                           p_updated bigint, p_rejected bigint)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; step 7 of dba._process_load() and dba._load_fast_way(), after dba._load_rows():
     RETURN dba._close_load(42, cfg, 1000, 990, 0, 10);   -- loaded_with_rejects
   Logs what went into the target, runs the job's post-load hook (a function <hook>(bigint)
   given the load id) and records counts and status through dba._set_outcome(): loaded, or
   loaded_with_rejects when rows were rejected. Raises FD010 when the hook does not exist, and
   whatever the hook raises.
*/
DECLARE
    v_load dba.tdataloads := (SELECT d FROM dba.tdataloads d WHERE d.load_id = p_load_id);
    v_hook regprocedure;
BEGIN
    PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                    p_message => format('%s: %s into %s: %s inserted, %s updated', v_load.file_name, p_cfg.load_mode,
                                        p_cfg.target_table::regclass, p_inserted, p_updated));
    IF p_cfg.post_load_hook IS NOT NULL THEN
        v_hook := to_regprocedure(p_cfg.post_load_hook || '(bigint)');
        IF v_hook IS NULL THEN
            RAISE EXCEPTION 'post-load hook %(bigint) of job % does not exist', p_cfg.post_load_hook, p_cfg.job_name
                  USING ERRCODE = 'FD010';
        END IF;
        EXECUTE format('SELECT %s($1)', v_hook::regproc) USING p_load_id;
        PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                        p_message => format('%s: post-load hook %s done', v_load.file_name, v_hook::regproc));
    END IF;
    RETURN dba._set_outcome(p_load_id, CASE WHEN p_rejected > 0 THEN 'loaded_with_rejects' ELSE 'loaded' END,
                            p_read, p_inserted, p_updated, p_rejected);
END
$function$;

ALTER FUNCTION dba._close_load(bigint, dba.timportconfig, bigint, bigint, bigint, bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._close_load(bigint, dba.timportconfig, bigint, bigint, bigint, bigint) FROM PUBLIC;
COMMENT ON FUNCTION dba._close_load(bigint, dba.timportconfig, bigint, bigint, bigint, bigint) IS
'Internal: logs what a load put into its target, runs the job''s post-load hook and records the load''s counts and status (loaded or loaded_with_rejects); returns the load. Raises FD010 for a hook that does not exist, and what the hook raises.';
