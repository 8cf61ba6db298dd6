-- Deploy feeds:function_dba__set_outcome to pg
-- Generated from db/functions/dba._set_outcome.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._set_outcome: the end of a load's processing: its counts and status, and nothing left behind.
CREATE OR REPLACE FUNCTION dba._set_outcome(p_load_id bigint, p_status text, p_read bigint, p_inserted bigint,
                                            p_updated bigint, p_rejected bigint, p_sqlstate text DEFAULT NULL,
                                            p_message text DEFAULT NULL)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; every way out of dba._process_load() or dba._load_fast_way() that decides a file
   (loaded, loaded with rejects, failed for its layout or its reject limit) ends here:
     RETURN dba._set_outcome(42, 'failed', 10, 0, 0, 10, 'FD020', 'layout error: …');
   Drops the load's working objects (stage.load_<id>_m joined records, _v validated rows, _f
   foreign table, _r record type), whichever exist, and records counts and status.
*/
DECLARE
    v_load dba.tdataloads;
    v_base text := 'load_' || p_load_id;
    v_kind text;
    v_name text;
BEGIN
    -- Only what exists (DROP … IF EXISTS would send the caller a NOTICE for each other one).
    FOR v_kind, v_name IN SELECT k, v_base || x FROM (VALUES ('TABLE', '_m'), ('TABLE', '_v'), ('FOREIGN TABLE', '_f'), ('TYPE', '_r')) o(k, x) LOOP
        IF (CASE WHEN v_kind = 'TYPE' THEN to_regtype(format('stage.%I', v_name)) IS NOT NULL
                 ELSE to_regclass(format('stage.%I', v_name)) IS NOT NULL END) THEN
            EXECUTE format('DROP %s stage.%I', v_kind, v_name);
        END IF;
    END LOOP;
    UPDATE dba.tdataloads
       SET status = p_status, rows_read = p_read, rows_inserted = p_inserted, rows_updated = p_updated,
           rows_rejected = p_rejected, error_sqlstate = p_sqlstate, error_message = p_message,
           finished_at = clock_timestamp()
     WHERE load_id = p_load_id
    RETURNING * INTO v_load;
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba._set_outcome(bigint, text, bigint, bigint, bigint, bigint, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._set_outcome(bigint, text, bigint, bigint, bigint, bigint, text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._set_outcome(bigint, text, bigint, bigint, bigint, bigint, text, text) IS
'Internal: drops a load''s working objects in schema stage (joined records, validated rows, foreign table, record type) and records its status, counts, SQLSTATE and message; returns the load. Raises 23514 for a status the table''s CHECK refuses.';

COMMIT;
