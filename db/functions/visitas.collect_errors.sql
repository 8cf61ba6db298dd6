-- visitas.collect_errors: copy the run's rejected rows and layout failures into visitas.errors.
-- requires: table_visitas_errors
-- requires: table_dba_tloaderror
-- requires: table_dba_timportconfig
CREATE OR REPLACE FUNCTION visitas.collect_errors(p_run_uuid uuid)
RETURNS integer
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql, after SELECT * FROM dba.run_import(p_job => 'visitas', p_run_uuid => :'run'):
     SELECT visitas.collect_errors(:'run');            -- rows added
     SELECT file_name, line_no, field, code, message FROM visitas.errors ORDER BY 1, 2;
   visitas.errors holds one run at a time: errors of other runs are removed first. Copying is
   idempotent (keyed by dba.tloaderror.error_id), so the post-load hook and the shim may both call
   it; the shim's call after dba.run_import also picks up files that failed as a whole (layout).
   Raises 22004 when p_run_uuid is NULL.
*/
DECLARE
    v_added integer;
BEGIN
    IF p_run_uuid IS NULL THEN
        RAISE EXCEPTION 'visitas.collect_errors needs a run uuid'
              USING ERRCODE = '22004', HINT = 'SELECT visitas.collect_errors(''<run uuid>'');';
    END IF;
    DELETE FROM visitas.errors WHERE run_uuid <> p_run_uuid;
    INSERT INTO visitas.errors (error_id, run_uuid, load_id, file_name, line_no, field, code, message,
                                raw_value, raw_line, logged_at)
    SELECT e.error_id, d.run_uuid, e.load_id, d.file_name, e.line_no, e.column_name, e.rule, e.message,
           e.raw_value, e.raw_line, e.logged_at
      FROM dba.tdataloads d
      JOIN dba.timportconfig c ON c.config_id = d.config_id
      JOIN dba.tloaderror e ON e.load_id = d.load_id
     WHERE d.run_uuid = p_run_uuid
       AND to_regclass(c.target_table) = 'visitas.statistics'::regclass
    ON CONFLICT ON CONSTRAINT errors_pkey DO NOTHING;
    GET DIAGNOSTICS v_added = ROW_COUNT;
    RETURN v_added;
END
$function$;

ALTER FUNCTION visitas.collect_errors(uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION visitas.collect_errors(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION visitas.collect_errors(uuid) TO feeds_etl;
COMMENT ON FUNCTION visitas.collect_errors(uuid) IS
'Makes visitas.errors hold the rejected rows and layout failures (from dba.tloaderror) of the given run''s Visitas loads (jobs whose target is visitas.statistics): removes other runs'' errors, adds the missing ones, returns how many were added. Idempotent. Raises 22004 when the run uuid is NULL.';
