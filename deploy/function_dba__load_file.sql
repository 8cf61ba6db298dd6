-- Deploy feeds:function_dba__load_file to pg
-- Generated from db/functions/dba._load_file.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._load_file: one registered load, from its file to its outcome: the way-choosing driver.
CREATE OR REPLACE FUNCTION dba._load_file(p_load_id bigint, p_path text, p_dry_run boolean DEFAULT false,
                                          p_quote_free boolean DEFAULT false, p_copy_reads boolean DEFAULT true)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the per-file isolation of dba.run_import() and dba.finish_load(), as the owner:
     SELECT status, load_path FROM dba._load_file(42, '/srv/…/processing/a.csv');   -- the server reads it
     SELECT status, load_path FROM dba._load_file(42, NULL);   -- the client's stream (dba.begin_load)
   Chooses the way through a registered load, step by step, each step recording its own failure
   on the load instead of raising: dba._admit_load (re-send policy, replace_per_run's emptying);
   for a server-readable file the direct path (dba._take_fast_way; no staging; p_quote_free:
   run_import saw no quote character in it; not when p_copy_reads is false: a line begins with
   \., which COPY and file_fdw take for the end of the data); else dba._stage_file (without
   COPY when p_copy_reads is false), then the one pass over the
   staged lines (not tried after a row ended the direct path: it would end at the same row);
   else full validation (dba._process_load, in a subtransaction: an error fails this file only,
   with its SQLSTATE and message), which records every failure. A fast way that does not take
   the file leaves nothing behind but its reason (path_note). The way taken goes to load_path;
   the staging table of a file that failed is kept (unlogged) until the next run.
*/
DECLARE
    v_load   dba.tdataloads;
    v_fast   dba.tdataloads;
    v_unread dba.tdataloads;
    v_try    record;
    v_missed boolean := false;
    v_way    text;
    ex_state  text;
    ex_msg    text;
    ex_detail text;
BEGIN
    v_load := dba._admit_load(p_load_id);
    IF v_load.status <> 'pending' THEN RETURN v_load; END IF;

    IF p_path IS NOT NULL AND NOT p_copy_reads AND NOT p_dry_run THEN
        PERFORM dba._leave_fast_way(p_load_id, 'direct path', 'a line begins with \. (COPY''s end of data): the lines are split in SQL');
    ELSIF p_path IS NOT NULL AND NOT p_dry_run THEN
        SELECT * INTO v_try FROM dba._take_fast_way(p_load_id, p_path, p_quote_free);
        v_fast := v_try.outcome;
        v_missed := v_try.row_failed;
        v_way := 'direct_path';
    END IF;
    IF v_fast.load_id IS NULL THEN
        v_unread := dba._stage_file(p_load_id, p_path, p_copy_reads);
        IF v_unread.load_id IS NOT NULL THEN RETURN v_unread; END IF;  -- failed: it could not be read
        IF v_missed THEN
            PERFORM dba._leave_fast_way(p_load_id, 'one pass', 'not tried, a row already left the direct path');
        ELSIF NOT p_dry_run THEN
            v_fast := (dba._take_fast_way(p_load_id)).outcome;
            v_way := 'one_pass';
        END IF;
    END IF;

    IF v_fast.load_id IS NOT NULL THEN
        v_load := v_fast;
    ELSE
        v_way := 'full_validation';
        BEGIN
            v_load := dba._process_load(p_load_id, p_dry_run);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS ex_state = RETURNED_SQLSTATE, ex_msg = MESSAGE_TEXT, ex_detail = PG_EXCEPTION_DETAIL;
            v_load := dba._fail_load(p_load_id, ex_state,
                                     format('%s: %s%s', v_load.file_name, ex_msg, coalesce(' (' || nullif(ex_detail, '') || ')', '')));
        END;
    END IF;

    -- The way the load went, as data (path_note says why it left a faster one).
    UPDATE dba.tdataloads SET load_path = v_way WHERE load_id = p_load_id;
    v_load.load_path := v_way;
    IF NOT p_dry_run THEN
        PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                        p_level => CASE v_load.status WHEN 'failed' THEN 'error' WHEN 'loaded' THEN 'info' ELSE 'warning' END,
                        p_message => CASE WHEN v_load.status = 'failed'
                                          THEN format('failed [%s] %s', v_load.error_sqlstate, v_load.error_message)
                                          ELSE format('%s %s: %s read, %s inserted, %s updated, %s rejected', v_load.status,
                                                      v_load.file_name, v_load.rows_read, v_load.rows_inserted,
                                                      v_load.rows_updated, v_load.rows_rejected) END);
        IF v_load.status <> 'failed' AND to_regclass(format('stage.%I', 'load_' || p_load_id)) IS NOT NULL THEN
            EXECUTE format('DROP TABLE stage.%I', 'load_' || p_load_id);
        END IF;
    END IF;
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba._load_file(bigint, text, boolean, boolean, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._load_file(bigint, text, boolean, boolean, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._load_file(bigint, text, boolean, boolean, boolean) IS
'Internal: takes one registered load through its steps (dba._admit_load, the direct path, dba._stage_file, the one pass, full validation) and records the way it went (load_path) and any failure with its SQLSTATE on the load instead of raising.';

COMMIT;
