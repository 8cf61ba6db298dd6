-- dba._load_file: stage (when the server reads the file) and process one registered load.
CREATE OR REPLACE FUNCTION dba._load_file(p_load_id bigint, p_path text, p_dry_run boolean DEFAULT false,
                                          p_quote_free boolean DEFAULT false)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the per-file isolation of dba.run_import() and dba.finish_load().
   p_path NULL: stage.load_<id> was filled by the client (COPY … FROM STDIN).
   A replace_per_run job's target is emptied by the run's first file of the job, before staging.
   Staging and processing each run in their own subtransaction: an error rolls back that file
   only, is recorded with its SQLSTATE and message (with the COPY line where there is one), and
   the staging table of a file that failed after staging is kept (unlogged) until the next run.
   A clean file loads in one statement (dba._take_fast_way): a server-readable file first by
   the direct path (no staging; p_quote_free: run_import saw no quote character in it), else
   once staged, by the one pass. When the file does not qualify, or a row is not plainly valid,
   the attempt leaves nothing behind but its reason (path_note) and the staged file goes through
   full validation (dba._process_load), which records every failure. After a row ended the
   direct path, the one pass is not tried: it would end at the same row.
*/
DECLARE
    v_load   dba.tdataloads;
    v_cfg    dba.timportconfig;
    v_table  text := 'load_' || p_load_id;
    v_state  text;
    v_msg    text;
    v_ctx    text;
    v_detail text;
    v_failed boolean := false;
    v_fast   dba.tdataloads;
    v_try    record;
    v_missed boolean := false;
    v_way    text;
    v_head   bytea;
    v_nl     integer;
BEGIN
    SELECT * INTO STRICT v_load FROM dba.tdataloads WHERE load_id = p_load_id;
    SELECT * INTO STRICT v_cfg FROM dba.timportconfig WHERE config_id = v_load.config_id;

    -- Re-send policy of the job (dba._apply_resend_policy, see docs/configuration.md): a load
    -- refused as a re-send ends here; a supersede undoes the earlier load of this name first.
    v_load := dba._apply_resend_policy(p_load_id);
    IF v_load.status <> 'pending' THEN RETURN v_load; END IF;

    -- replace_per_run: the run's first file of the job empties the target, whatever becomes of
    -- that file, so the table holds exactly this run's rows. The removed rows are kept for undo.
    IF v_cfg.load_mode = 'replace_per_run' AND NOT EXISTS (
           SELECT 1 FROM dba.tdataloads d
            WHERE d.run_uuid = v_load.run_uuid AND d.config_id = v_load.config_id AND d.emptied_target) THEN
        BEGIN
            PERFORM dba._empty_target(p_load_id, v_cfg.target_table::regclass);
            UPDATE dba.tdataloads SET emptied_target = true WHERE load_id = p_load_id;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
            UPDATE dba.tdataloads
               SET status = 'failed', error_sqlstate = v_state, finished_at = clock_timestamp(),
                   error_message = format('%s: cannot empty %s for the run: %s', v_load.file_name, v_cfg.target_table, v_msg)
             WHERE load_id = p_load_id
            RETURNING * INTO v_load;
            RETURN v_load;
        END;
    END IF;

    -- The direct path (no staging) for a file the server reads (dba._take_fast_way).
    IF p_path IS NOT NULL AND NOT p_dry_run THEN
        SELECT * INTO v_try FROM dba._take_fast_way(p_load_id, p_path, p_quote_free);
        v_fast := v_try.outcome;
        v_missed := v_try.row_failed;
        v_way := 'direct_path';
    END IF;

    IF v_fast.load_id IS NOT NULL THEN
        v_load := v_fast;
    ELSE
        IF p_path IS NOT NULL THEN
            BEGIN
                -- Each line's ending (eol) is the file's, the one COPY takes from the first line: a
                -- quoted field over lines is joined again with it, byte for byte.
                v_head := pg_read_binary_file(p_path, 0, 65536, false);
                v_nl := position('\x0a'::bytea IN v_head);
                EXECUTE format('CREATE UNLOGGED TABLE stage.%I (line_no bigint GENERATED ALWAYS AS IDENTITY, raw text, eol text DEFAULT %L)',
                               v_table, CASE WHEN v_nl > 1 AND get_byte(v_head, v_nl - 2) = 13 THEN E'\r\n'
                                             WHEN v_nl = 0 AND position('\x0d'::bytea IN v_head) > 0 THEN E'\r' ELSE E'\n' END);
                -- One field per physical line: the delimiter and quote are control characters that
                -- never occur in text files; dba._split_line() splits the fields afterwards.
                EXECUTE format('COPY stage.%I (raw) FROM %L WITH (FORMAT csv, DELIMITER E''\x1f'', QUOTE E''\x1e'', ENCODING %L)',
                               v_table, p_path, v_cfg.encoding);
            EXCEPTION WHEN OTHERS THEN
                GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT, v_ctx = PG_EXCEPTION_CONTEXT;
                v_failed := true;
            END;
            -- COPY takes the line-ending style of the first line and refuses a file that mixes them
            -- (CRLF rows with LF inside Excel cells, files pasted together): such a file is split
            -- on CRLF, LF or CR in chunks, each line with its own ending (dba._stage_mixed_lines).
            IF v_failed AND v_state = '22P04' AND v_msg ~ '(newline|carriage return)' THEN
                BEGIN
                    EXECUTE format('CREATE UNLOGGED TABLE stage.%I (line_no bigint GENERATED ALWAYS AS IDENTITY, raw text, eol text)', v_table);
                    PERFORM dba._stage_mixed_lines(format('stage.%I', v_table)::regclass, p_path, v_cfg.encoding);
                    v_failed := false;
                EXCEPTION WHEN OTHERS THEN
                    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT, v_ctx = PG_EXCEPTION_CONTEXT;
                END;
            END IF;
            IF v_failed THEN
                v_ctx := substring(v_ctx FROM 'COPY load_\d+, (line \d+)');
                UPDATE dba.tdataloads
                   SET status = 'failed', error_sqlstate = v_state, finished_at = clock_timestamp(),
                       error_message = format('%s%s: cannot be read as %s text: %s', v_load.file_name,
                                              coalesce(' ' || v_ctx, ''), v_cfg.encoding, v_msg)
                 WHERE load_id = p_load_id
                RETURNING * INTO v_load;
                PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_level => 'error',
                                p_load_id => p_load_id, p_message => v_load.error_message);
                RETURN v_load;
            END IF;
            PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                            p_message => format('%s: staged from %s', v_load.file_name, p_path));
        END IF;

        -- After a row ended the direct path, the one pass would end at the same row.
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
            GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
            UPDATE dba.tdataloads
               SET status = 'failed', error_sqlstate = v_state, finished_at = clock_timestamp(),
                   error_message = format('%s: %s%s', v_load.file_name, v_msg, coalesce(' (' || nullif(v_detail, '') || ')', ''))
             WHERE load_id = p_load_id
            RETURNING * INTO v_load;
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
        IF v_load.status <> 'failed' AND to_regclass(format('stage.%I', v_table)) IS NOT NULL THEN
            EXECUTE format('DROP TABLE stage.%I', v_table);
        END IF;
    END IF;
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba._load_file(bigint, text, boolean, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._load_file(bigint, text, boolean, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._load_file(bigint, text, boolean, boolean) IS
'Internal: stages a server-readable file with COPY (or takes a client-filled staging table), then processes it, each in its own subtransaction; records any failure with its SQLSTATE on the load instead of raising.';
