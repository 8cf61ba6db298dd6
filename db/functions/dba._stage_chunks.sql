-- dba._stage_chunks: a client's streamed chunks (dba.begin_load) split into its staging table.
CREATE OR REPLACE FUNCTION dba._stage_chunks(p_load_id bigint)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; in the session that streamed them, by the trigger on the chunk table at the end
   of the COPY (dba._stage_chunks_trigger) or by dba._stage_file() in dba.finish_load():
     SELECT dba._stage_chunks(42);   -- lines staged into stage.load_42
   The chunks of pg_temp.load_<id>_c (n, chunk), in order, go through the splitter
   (dba._stage_mixed_lines) in the job's encoding into stage.load_<id> (line_no, raw, eol),
   emptied first (so a second COPY into the same chunk table stages the whole stream again).
   Returns the lines staged. Raises what the
   splitter raises (22021, 22P05 with DETAIL 'line <n>').
*/
DECLARE
    v_chunks refcursor;
    v_lines  bigint;
BEGIN
    EXECUTE format('TRUNCATE stage.%I', 'load_' || p_load_id);
    OPEN v_chunks FOR EXECUTE format('SELECT chunk FROM pg_temp.%I ORDER BY n', 'load_' || p_load_id || '_c');
    v_lines := dba._stage_mixed_lines(format('stage.%I', 'load_' || p_load_id)::regclass, v_chunks,
                                      (SELECT c.encoding FROM dba.tdataloads d JOIN dba.timportconfig c USING (config_id)
                                        WHERE d.load_id = p_load_id));
    CLOSE v_chunks;
    RETURN v_lines;
END
$function$;

ALTER FUNCTION dba._stage_chunks(bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._stage_chunks(bigint) FROM PUBLIC;
COMMENT ON FUNCTION dba._stage_chunks(bigint) IS
'Internal: splits the chunks a client streamed into pg_temp.load_<id>_c (dba.begin_load) into lines, each with its own ending, in stage.load_<id> (emptied first); returns the lines staged. Raises 22021 or 22P05 (DETAIL ''line <n>'') for bytes not in the job''s encoding.';
