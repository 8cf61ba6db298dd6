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
   Every removed row is kept, typed, in the target's undo table (dba._undo_table) under the
   load, so dba.undo_load() can put it back: one DELETE … RETURNING feeds the copy. Returns the
   number of rows removed.
*/
DECLARE
    v_undo    regclass := dba._undo_table(p_load_id, p_target);
    v_image   text[] := dba._image_columns(p_target, v_undo, false);
    v_removed bigint;
    v_old     bigint[];
BEGIN
    EXECUTE format($q$
        WITH gone AS (DELETE FROM %1$s RETURNING %3$s),
             kept AS (INSERT INTO %2$s (undo_load_id, %3$s) SELECT $1, %3$s FROM gone RETURNING load_id)
        SELECT count(*), ARRAY(SELECT DISTINCT load_id FROM kept WHERE load_id IS NOT NULL) FROM kept$q$,
        p_target, v_undo, (SELECT string_agg(quote_ident(c), ', ') FROM unnest(v_image) c))
    INTO v_removed, v_old
    USING p_load_id;
    PERFORM dba._kept_images(p_load_id, v_undo, v_removed, v_old);
    RETURN v_removed;
END
$function$;

ALTER FUNCTION dba._empty_target(bigint, regclass) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._empty_target(bigint, regclass) FROM PUBLIC;
COMMENT ON FUNCTION dba._empty_target(bigint, regclass) IS
'Internal: deletes every row of a target table, keeping each, typed, as a before-image in the target''s undo table (dba._undo_table) under the load; returns the count. Raises what the DELETE raises (e.g. 42501), FD010 from dba._undo_table.';

COMMIT;
