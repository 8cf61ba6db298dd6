-- dba.finish_load: validate and load a file a client streamed into its staging table.
CREATE OR REPLACE FUNCTION dba.finish_load(p_load_id bigint, p_dry_run boolean DEFAULT false)
RETURNS TABLE (
    load_id       bigint,
    file_name     text,
    job           text,
    status        text,
    rows_read     bigint,
    rows_inserted bigint,
    rows_updated  bigint,
    rows_rejected bigint,
    message       text
)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a client, after the binary COPY … FROM STDIN of its file's bytes into the chunk table
   dba.begin_load() returned, in the same session:
     SELECT * FROM dba.finish_load(42);
   The COPY split the chunks into lines, each with its own ending. First the stream is checked
   against what begin_load registered (dba._check_client_stream: else a failed load, FD016,
   before the re-send policy acts); bytes not in the job's encoding fail the load, naming the
   line (dba._stage_file). Then the same steps and
   result row as dba.run_import(); the chunk table is dropped at the end, in a dry run too. Raises FD001 (unknown load), FD050 (the load
   is not a pending client load, or its chunks are not in this session).
*/
DECLARE
    v_load   dba.tdataloads;
    v_chunks text := 'load_' || p_load_id || '_c';
BEGIN
    v_load := dba._lock_load(p_load_id);
    IF v_load.status <> 'pending' OR v_load.way_in <> 'client' OR to_regclass(format('stage.%I', 'load_' || p_load_id)) IS NULL THEN
        RAISE EXCEPTION 'load % is not a pending client load (status %, way in %)', p_load_id, v_load.status, v_load.way_in
              USING ERRCODE = 'FD050', HINT = 'Start a client load with dba.begin_load().';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = to_regclass(format('pg_temp.%I', v_chunks))
                                           AND c.relowner = 'feeds_owner'::regrole) THEN
        RAISE EXCEPTION 'load %: its stream is not in this session, so it cannot be checked against its registration', p_load_id
              USING ERRCODE = 'FD050',
                    HINT = 'dba.begin_load(), the COPY of the file''s bytes and dba.finish_load() run in one session (not through transaction pooling).';
    END IF;
    BEGIN
        -- First of all the stream must be the registered file: a re-send policy's supersede or a
        -- replace_per_run's emptying must not act for a file that then fails.
        PERFORM dba._check_client_stream(v_load);
        -- A dry run ends by raising FD099 here, caught just below: in PL/pgSQL only an error
        -- rolls back what the file did (docs/engine-api.md).
        BEGIN
            v_load := dba._load_file(p_load_id, NULL, p_dry_run);
            IF p_dry_run THEN
                RAISE EXCEPTION USING ERRCODE = 'FD099', MESSAGE = 'dry run: roll back';
            END IF;
        EXCEPTION WHEN SQLSTATE 'FD099' THEN
            v_load.status := CASE WHEN v_load.status = 'pending' THEN 'dry_run' ELSE v_load.status END;
        END;
    EXCEPTION WHEN SQLSTATE 'FD016' THEN
        IF p_dry_run THEN  -- said, not recorded: a dry run changes nothing
            v_load.status := 'failed'; v_load.error_sqlstate := 'FD016'; v_load.error_message := SQLERRM;
        ELSE
            v_load := dba._fail_load(p_load_id, 'FD016', SQLERRM, p_log => true);
        END IF;
    END;
    -- The client's chunks are done with, whatever became of the file: a load the re-send policy
    -- refused never reached staging, and a dry run rolled their DROP back; left, they would hold
    -- the whole file in temp space until the session ends. Only the table begin_load made.
    IF EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = to_regclass(format('pg_temp.%I', v_chunks))
                                           AND c.relowner = 'feeds_owner'::regrole) THEN
        EXECUTE format('DROP TABLE pg_temp.%I', v_chunks);
    END IF;
    load_id := v_load.load_id; file_name := v_load.file_name; job := v_load.job_name; status := v_load.status;
    rows_read := v_load.rows_read; rows_inserted := v_load.rows_inserted; rows_updated := v_load.rows_updated;
    rows_rejected := v_load.rows_rejected;
    message := dba._load_message(v_load, p_dry_run);
    RETURN NEXT;
END
$function$;

ALTER FUNCTION dba.finish_load(bigint, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.finish_load(bigint, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.finish_load(bigint, boolean) TO feeds_etl;
COMMENT ON FUNCTION dba.finish_load(bigint, boolean) IS
'Second way in: validates and loads a client-staged file exactly like dba.run_import() and returns the same row. Raises FD001 (unknown load), FD050 (not a pending client load, or its chunks not in this session: begin_load, the COPY and finish_load run in one session).';
