-- Deploy feeds:function_dba__empty_target to pg
-- Generated from db/functions/dba._empty_target.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._empty_target: empty a load's target table, keeping every removed row for undo.
CREATE OR REPLACE FUNCTION dba._empty_target(p_load_id bigint, p_target regclass)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; shared by the replace mode (dba._process_load, atomically with the new rows) and
   replace_per_run (dba._load_file, at the run's first file of the job):
     PERFORM dba._empty_target(42, 'visitas.statistics'::regclass);
   Every removed row goes to dba.tloadundo under the load, so dba.undo_load() can put it back.
   Returns the number of rows removed.
*/
DECLARE
    v_removed bigint;
BEGIN
    EXECUTE format('INSERT INTO dba.tloadundo (load_id, target_table, old_load_id, row_image)
                    SELECT $1, $2, t.load_id, to_jsonb(t) FROM %s t', p_target)
    USING p_load_id, p_target::text;
    EXECUTE format('DELETE FROM %s', p_target);
    GET DIAGNOSTICS v_removed = ROW_COUNT;
    RETURN v_removed;
END
$function$;

ALTER FUNCTION dba._empty_target(bigint, regclass) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._empty_target(bigint, regclass) FROM PUBLIC;
COMMENT ON FUNCTION dba._empty_target(bigint, regclass) IS
'Internal: deletes every row of a target table, keeping each as a before-image in dba.tloadundo under the load; returns the count. Raises what the DELETE raises (e.g. 42501).';

COMMIT;
