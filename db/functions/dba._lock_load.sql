-- dba._lock_load: one load's row, locked for the caller's change of it.
CREATE OR REPLACE FUNCTION dba._lock_load(p_load_id bigint)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the first step of the entry points that change one load (finish_load, mark_moved,
   undo_load, fail_changed_load, fail_client_load):
     v_load := dba._lock_load(p_load_id);
   Returns the row of dba.tdataloads locked FOR UPDATE, so two callers change it one after the
   other. Raises FD001 when the load does not exist.
*/
DECLARE
    v_load dba.tdataloads;
BEGIN
    SELECT * INTO v_load FROM dba.tdataloads d WHERE d.load_id = p_load_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'load % does not exist', p_load_id USING ERRCODE = 'FD001';
    END IF;
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba._lock_load(bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._lock_load(bigint) FROM PUBLIC;
COMMENT ON FUNCTION dba._lock_load(bigint) IS
'Internal: the row of one load, locked FOR UPDATE for the entry point that changes it. Raises FD001 when the load does not exist.';
