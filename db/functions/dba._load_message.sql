-- dba._load_message: the one-line outcome of a load, as run_import and finish_load report it.
CREATE OR REPLACE FUNCTION dba._load_message(p_load dba.tdataloads, p_dry_run boolean DEFAULT false)
RETURNS text
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the message column of dba.run_import() and dba.finish_load():
     SELECT dba._load_message(d) FROM dba.tdataloads d WHERE load_id = 42;
*/
SELECT CASE
    WHEN p_load.status = 'failed' THEN format('[%s] %s', p_load.error_sqlstate, p_load.error_message)
    WHEN p_load.status = 'duplicate' THEN p_load.error_message
    WHEN p_dry_run THEN format('dry run: %s rows would load, %s rejected; nothing was changed',
                               p_load.rows_read - p_load.rows_rejected, p_load.rows_rejected)
    ELSE format('%s read, %s inserted, %s updated, %s rejected', p_load.rows_read,
                p_load.rows_inserted, p_load.rows_updated, p_load.rows_rejected)
END
$function$;

ALTER FUNCTION dba._load_message(dba.tdataloads, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._load_message(dba.tdataloads, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._load_message(dba.tdataloads, boolean) IS
'Internal: the one-line outcome of a load (failure with SQLSTATE, duplicate, dry run, or counts). Raises nothing.';
