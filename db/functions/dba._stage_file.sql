-- dba._stage_file: a load's file into its staging table, one row per line with its ending.
CREATE OR REPLACE FUNCTION dba._stage_file(p_load_id bigint, p_path text, p_copy_reads boolean DEFAULT true)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the staging step of dba._load_file():
     SELECT dba._stage_file(42, '/srv/…/a.csv');   -- the server reads the file
     SELECT dba._stage_file(42, NULL);             -- a client's stream (dba.begin_load)
   Fills stage.load_<id> (line_no, raw, eol). A file the server reads goes through COPY, one
   field per physical line, eol the file's ending (the one COPY takes from the first line); a
   file whose endings mix (COPY refuses it, 22P04), or one with a line that begins with \.
   (p_copy_reads false: COPY would take it for the end of the data and read no further), goes
   through the splitter, dba._stage_mixed_lines, each line with its own ending. A client's
   stream went through the same splitter at the end of its COPY (dba._stage_chunks_trigger),
   and dba.finish_load checked it against its registration (dba._check_client_stream) before
   anything else; chunks the COPY could not split are split again here (dba._stage_chunks), to
   record why (dba.finish_load drops the chunk table on every path). Lines
   staged otherwise (a draft's sample) are left as they are. Returns NULL when the lines are
   staged; else the load, failed with the SQLSTATE and a message naming the file and the line
   (bytes not in the job's encoding: 22021, 22P05), logged; what the step did is rolled back,
   the client's chunks left to dba.finish_load.
*/
DECLARE
    v_load   dba.tdataloads;
    v_cfg    dba.timportconfig;
    v_table  text := 'load_' || p_load_id;
    v_head   bytea;
    v_nl     integer;
    v_chunks refcursor;
    v_left   boolean;
    v_split  boolean := NOT p_copy_reads;
    ex_state  text;
    ex_msg    text;
    ex_ctx    text;
    ex_detail text;
BEGIN
    SELECT * INTO STRICT v_load FROM dba.tdataloads WHERE load_id = p_load_id;
    SELECT * INTO STRICT v_cfg FROM dba.timportconfig WHERE config_id = v_load.config_id;
    BEGIN
        IF p_path IS NOT NULL THEN
            v_head := pg_read_binary_file(p_path, 0, 65536, false);
            v_nl := position('\x0a'::bytea IN v_head);
            EXECUTE format('CREATE UNLOGGED TABLE stage.%I (line_no bigint GENERATED ALWAYS AS IDENTITY, raw text, eol text DEFAULT %L)',
                           v_table, CASE WHEN v_nl > 1 AND get_byte(v_head, v_nl - 2) = 13 THEN E'\r\n'
                                         WHEN v_nl = 0 AND position('\x0d'::bytea IN v_head) > 0 THEN E'\r' ELSE E'\n' END);
            BEGIN
                -- One field per physical line: the delimiter and quote are control characters that
                -- never occur in text files; dba._split_line() splits the fields afterwards.
                IF NOT v_split THEN
                    EXECUTE format('COPY stage.%I (raw) FROM %L WITH (FORMAT csv, DELIMITER E''\x1f'', QUOTE E''\x1e'', ENCODING %L)',
                                   v_table, p_path, v_cfg.encoding);
                END IF;
            EXCEPTION WHEN bad_copy_file_format THEN
                GET STACKED DIAGNOSTICS ex_msg = MESSAGE_TEXT;
                IF ex_msg !~ '(newline|carriage return)' THEN
                    RAISE;
                END IF;
                -- COPY takes the line-ending style of the first line and refuses a file that mixes
                -- them (CR LF rows with LF inside Excel cells, files pasted together).
                v_split := true;
            END;
            IF v_split THEN
                OPEN v_chunks FOR SELECT pg_read_binary_file(p_path, o, 8388608, false)
                                    FROM generate_series(0, (pg_stat_file(p_path, false)).size - 1, 8388608) o;
                PERFORM dba._stage_mixed_lines(format('stage.%I', v_table)::regclass, v_chunks, v_cfg.encoding);
                CLOSE v_chunks;
            END IF;
            PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                            p_message => format('%s: staged from %s', v_load.file_name, p_path));
        ELSIF to_regclass(format('pg_temp.%I', v_table || '_c')) IS NOT NULL THEN
            -- A client's chunks are split at the end of its COPY (dba._stage_chunks_trigger);
            -- bytes without lines could not be: split them again, to record why.
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM pg_temp.%I WHERE length(chunk) > 0) AND NOT EXISTS (SELECT 1 FROM stage.%I)',
                           v_table || '_c', v_table) INTO v_left;
            IF v_left THEN
                PERFORM dba._stage_chunks(p_load_id);
            END IF;
        END IF;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS ex_state = RETURNED_SQLSTATE, ex_msg = MESSAGE_TEXT, ex_ctx = PG_EXCEPTION_CONTEXT,
                                ex_detail = PG_EXCEPTION_DETAIL;
        v_load := dba._fail_load(p_load_id, ex_state,
                                 format('%s%s: cannot be read as %s text: %s', v_load.file_name,
                                        ' ' || coalesce(substring(ex_ctx FROM 'COPY load_\d+, (line \d+)'),
                                                        substring(ex_detail FROM '^line \d+$')),
                                        v_cfg.encoding, ex_msg));
        PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_level => 'error',
                        p_load_id => p_load_id, p_message => v_load.error_message);
        RETURN v_load;
    END;
    RETURN NULL;
END
$function$;

ALTER FUNCTION dba._stage_file(bigint, text, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._stage_file(bigint, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._stage_file(bigint, text, boolean) IS
'Internal: stages a load''s file into stage.load_<id> (line_no, raw, eol): a server-readable file by COPY (by dba._stage_mixed_lines when its line endings mix or, p_copy_reads false, a line begins with \.); a client''s chunks (dba.begin_load; dba.finish_load checked them against the registration) left unsplit by its COPY by dba._stage_chunks; returns NULL when staged, else the load failed with the SQLSTATE and a message naming the file and line (22021, 22P05 for bytes not in the encoding, 58P01 for a missing file). Never raises for a registered load.';
