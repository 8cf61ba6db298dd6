-- Deploy feeds:function_dba_fail_client_load to pg
-- Generated from db/functions/dba.fail_client_load.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.fail_client_load: a client's stream into its staging table was refused; record why.
CREATE OR REPLACE FUNCTION dba.fail_client_load(p_load_id bigint, p_reason text, p_sqlstate text DEFAULT NULL)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a client (feeds load) whose COPY … FROM STDIN of a file registered by dba.begin_load()
   failed (the server refused the stream: the chunk table is gone, the statement was cancelled…):
     SELECT * FROM dba.fail_client_load(42, 'cl_9.csv: the server refused the stream: canceling statement due to user request', '57014');
   The load, still pending, becomes failed (FD013) with the reason and the SQLSTATE, and its
   staging table goes, so nothing waits forever and the report tells it; the same content can
   be sent again. Only a
   pending load that came in through a client (way_in 'client') qualifies. Raises FD001 (unknown
   load), FD041 (not a pending client load), 22023 (no reason).
*/
DECLARE
    v_load dba.tdataloads;
BEGIN
    IF coalesce(btrim(p_reason), '') = '' THEN
        RAISE EXCEPTION 'fail_client_load needs a reason' USING ERRCODE = '22023';
    END IF;
    v_load := dba._lock_load(p_load_id);
    IF v_load.status <> 'pending' OR v_load.way_in <> 'client' THEN
        RAISE EXCEPTION 'load % (%, %) is not a pending client load', p_load_id, v_load.status, v_load.way_in
              USING ERRCODE = 'FD041', HINT = 'Only a load dba.begin_load() registered and not finished qualifies.';
    END IF;
    EXECUTE format('DROP TABLE IF EXISTS stage.%I', 'load_' || p_load_id);
    EXECUTE format('DROP TABLE IF EXISTS pg_temp.%I', 'load_' || p_load_id || '_c');  -- the chunks, in the client's session
    UPDATE dba.tdataloads d
       SET status = 'failed', error_sqlstate = 'FD013', finished_at = clock_timestamp(),
           error_message = p_reason || CASE WHEN p_sqlstate IS NOT NULL THEN format(' [%s]', p_sqlstate) ELSE '' END
     WHERE d.load_id = p_load_id
    RETURNING * INTO v_load;
    PERFORM dba.log(p_run_uuid => coalesce(v_load.run_uuid, '00000000-0000-0000-0000-000000000000'),
                    p_process_type => 'feeds_load', p_load_id => p_load_id, p_level => 'error',
                    p_message => format('failed [FD013] %s', v_load.error_message));
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba.fail_client_load(bigint, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.fail_client_load(bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.fail_client_load(bigint, text, text) TO feeds_etl;
COMMENT ON FUNCTION dba.fail_client_load(bigint, text, text) IS
'Records that a client''s COPY … FROM STDIN of a file registered by dba.begin_load() was refused: the pending client load becomes failed (FD013) with the reason and the SQLSTATE, its staging table is dropped. Raises FD001 (unknown load), FD041 (not a pending client load), 22023 (no reason).';

COMMIT;
