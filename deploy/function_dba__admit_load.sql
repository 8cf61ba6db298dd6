-- Deploy feeds:function_dba__admit_load to pg
-- Generated from db/functions/dba._admit_load.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._admit_load: what must happen to a pending load before its file is read.
CREATE OR REPLACE FUNCTION dba._admit_load(p_load_id bigint)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the first step of dba._load_file():
     SELECT status, error_message FROM dba._admit_load(42);   -- still 'pending': read the file
   The job's re-send policy (dba._apply_resend_policy, docs/configuration.md): a load refused
   as a re-send is failed here; a supersede undoes the earlier load of this name first. Then,
   for a replace_per_run job, the run's first file of the job empties the target, whatever
   becomes of that file, so the table holds exactly this run's rows (the removed rows kept for
   undo); a failure to empty it fails this load with its SQLSTATE. Returns the load as it now
   is. Raises nothing for a registered load.
*/
DECLARE
    v_load dba.tdataloads;
    v_cfg  dba.timportconfig;
    ex_state text;
    ex_msg   text;
BEGIN
    v_load := dba._apply_resend_policy(p_load_id);
    SELECT * INTO STRICT v_cfg FROM dba.timportconfig WHERE config_id = v_load.config_id;
    IF v_load.status <> 'pending' OR v_cfg.load_mode <> 'replace_per_run' OR EXISTS (
           SELECT 1 FROM dba.tdataloads d
            WHERE d.run_uuid = v_load.run_uuid AND d.config_id = v_load.config_id AND d.emptied_target) THEN
        RETURN v_load;
    END IF;
    BEGIN
        PERFORM dba._empty_target(p_load_id, v_cfg.target_table::regclass);
        UPDATE dba.tdataloads SET emptied_target = true WHERE load_id = p_load_id RETURNING * INTO v_load;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS ex_state = RETURNED_SQLSTATE, ex_msg = MESSAGE_TEXT;
        v_load := dba._fail_load(p_load_id, ex_state,
                                 format('%s: cannot empty %s for the run: %s', v_load.file_name, v_cfg.target_table, ex_msg));
    END;
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba._admit_load(bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._admit_load(bigint) FROM PUBLIC;
COMMENT ON FUNCTION dba._admit_load(bigint) IS
'Internal: applies the job''s re-send policy to a pending load and, for a replace_per_run job, empties the target at the run''s first file of the job (rows kept for undo); returns the load, failed when it is refused or the target cannot be emptied. Never raises for a registered load.';

COMMIT;
