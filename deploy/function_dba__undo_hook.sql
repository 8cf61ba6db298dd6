-- Deploy feeds:function_dba__undo_hook to pg
-- Generated from db/functions/dba._undo_hook.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._undo_hook: take back what a job's post-load hook did for one load.
-- requires: table_dba_timportconfig_undo_hook
CREATE OR REPLACE FUNCTION dba._undo_hook(p_cfg dba.timportconfig, p_load_id bigint)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; called by dba.undo_load() and dba._retire_load() before a load's rows are removed.
   As the owner:
     SELECT dba._undo_hook(c, 42) FROM dba.timportconfig c WHERE job_name = 'visitas';
   Calls the job's undo_hook with the load id (nothing when the job has none).
   Raises FD010 when the hook function does not exist.
*/
DECLARE
    v_hook regprocedure;
BEGIN
    IF p_cfg.undo_hook IS NULL THEN
        RETURN;
    END IF;
    v_hook := to_regprocedure(p_cfg.undo_hook || '(bigint)');
    IF v_hook IS NULL THEN
        RAISE EXCEPTION 'undo hook %(bigint) of job % does not exist', p_cfg.undo_hook, p_cfg.job_name
              USING ERRCODE = 'FD010', HINT = 'Create the function, or set undo_hook to NULL.';
    END IF;
    EXECUTE format('SELECT %s($1)', v_hook::regproc) USING p_load_id;
END
$function$;

ALTER FUNCTION dba._undo_hook(dba.timportconfig, bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._undo_hook(dba.timportconfig, bigint) FROM PUBLIC;
COMMENT ON FUNCTION dba._undo_hook(dba.timportconfig, bigint) IS
'Internal: calls the job''s undo_hook with the load id, to take back what its post-load hook did. Raises FD010 when the hook does not exist.';

COMMIT;
