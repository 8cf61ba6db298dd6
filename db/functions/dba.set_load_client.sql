-- dba.set_load_client: record which client delivered a load's file.
CREATE OR REPLACE FUNCTION dba.set_load_client(p_load_id bigint, p_client text)
RETURNS void
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql (the watcher calls it right after dba.register_file for a file from a client's
   upload directory):
     SELECT dba.set_load_client(42, 'vinkos');
   Calling it again with the same client changes nothing.
*/
BEGIN
    UPDATE dba.tdataloads l SET client_name = p_client
     WHERE l.load_id = p_load_id
       AND l.client_name IS NOT DISTINCT FROM NULL
       AND EXISTS (SELECT 1 FROM dba.tclient t
                    WHERE t.client_name = p_client AND (t.job_name IS NULL OR t.job_name = l.job_name));
    IF NOT FOUND AND NOT EXISTS (SELECT 1 FROM dba.tdataloads l
                                  WHERE l.load_id = p_load_id AND l.client_name = p_client) THEN
        RAISE EXCEPTION 'load % cannot be recorded as delivered by client %', p_load_id, p_client
              USING ERRCODE = 'FD091',
                    HINT = 'The load must exist, have no client yet, and the client (dba.tclient) must be allowed its job.';
    END IF;
END
$function$;

ALTER FUNCTION dba.set_load_client(bigint, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.set_load_client(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.set_load_client(bigint, text) TO feeds_etl;
COMMENT ON FUNCTION dba.set_load_client(bigint, text) IS
'Records the client whose upload directory delivered a load''s file (dba.tdataloads.client_name). Raises FD091 when the load does not exist, already has another client, or the client may not deliver for its job.';
