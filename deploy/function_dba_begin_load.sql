-- Deploy feeds:function_dba_begin_load to pg
-- Generated from db/functions/dba.begin_load.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.begin_load: second way in, for a database that cannot see the files.
CREATE OR REPLACE FUNCTION dba.begin_load(
    p_job       text,
    p_file_name text,
    p_sha256    text,
    p_size      bigint,
    p_run_uuid  uuid DEFAULT NULL,
    p_chunk_sha256 text DEFAULT NULL,
    p_chunk_size   integer DEFAULT NULL
) RETURNS TABLE (load_id bigint, staging_table text, copy_sql text, status text)
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From a client (psycopg):
     SELECT * FROM dba.begin_load('visitas', 'report_7.txt', '<sha256>', 1234,
                                  p_chunk_sha256 => '<chunk digest>', p_chunk_size => 4194304);
     -- then run copy_sql, a binary COPY … FROM STDIN of one bytea per row, writing the file's
     -- bytes unchanged in chunks of p_chunk_size bytes (the last one shorter), in order:
     --   with cur.copy(copy_sql) as copy:
     --       copy.set_types(['bytea'])
     --       while chunk := f.read(4194304): copy.write_row((chunk,))
     SELECT * FROM dba.finish_load(<load_id>);   -- in the same session
   Both digests come from one read of the file, before it is sent (shims/fsutil.py, Hasher): the
   chunk digest (dba.tdataloads.chunk_sha256) over p_chunk_size-byte chunks, each one COPY row.
   Before the lines are used, dba._stage_file checks the stream against the registration: its
   total length against p_size, the sha256 of its rows' sha256 in order against p_chunk_sha256
   (without a chunk digest, an old caller's: the sha256 of the whole stream in one piece, so at
   most 1 GB); else the load fails with FD016, changed while it was sent, nothing of it loaded.
   The same chunk digest and chunk size as a live load of the job's is the same content,
   whatever the sha256 (dba._register_load).
   staging_table pg_temp.load_<id>_c (n, chunk) is the session's own: at the end of the COPY a
   trigger splits its chunks into the lines of stage.load_<id>, each with its own ending, in the
   job's encoding (dba._stage_chunks_trigger); bytes not in it fail the load in
   dba.finish_load(), naming the line.
   status 'duplicate': the job already has this content; staging_table and copy_sql are NULL.
   Raises FD001 (unknown job), FD003 (the job does not take that name), FD011, 22023 (malformed
   sha256 or chunk digest).
*/
DECLARE
    v_cfg  dba.timportconfig;
    v_load dba.tdataloads;
    v_tab  text;
BEGIN
    v_cfg := dba._job_for_file(p_job, p_file_name);
    v_load := dba._register_load(v_cfg, p_file_name, NULL, lower(p_sha256), p_size, coalesce(p_run_uuid, dba.start_run('begin_load')), 'client',
                                 lower(p_chunk_sha256), p_chunk_size);
    load_id := v_load.load_id; status := v_load.status;
    IF v_load.status = 'pending' THEN
        v_tab := 'load_' || v_load.load_id;
        -- The lines, staged at the end of the COPY by the trigger, each with its own ending.
        EXECUTE format('CREATE UNLOGGED TABLE IF NOT EXISTS stage.%I (line_no bigint GENERATED ALWAYS AS IDENTITY, raw text, eol text)', v_tab);
        -- The chunks as sent, byte for byte (no COPY parsing: line endings may mix), stored as
        -- they are (not compressed: read once), in this session only (nothing left behind).
        EXECUTE format('CREATE TEMP TABLE %I (n bigint GENERATED ALWAYS AS IDENTITY, chunk bytea)', v_tab || '_c');
        EXECUTE format('ALTER TABLE pg_temp.%I ALTER chunk SET STORAGE EXTERNAL', v_tab || '_c');
        EXECUTE format('CREATE TRIGGER stage_chunks AFTER INSERT ON pg_temp.%I FOR EACH STATEMENT EXECUTE FUNCTION dba._stage_chunks_trigger()',
                       v_tab || '_c');
        EXECUTE format('GRANT INSERT ON pg_temp.%I TO feeds_etl', v_tab || '_c');
        staging_table := format('pg_temp.%I', v_tab || '_c');
        copy_sql := format('COPY pg_temp.%I (chunk) FROM STDIN WITH (FORMAT binary)', v_tab || '_c');
    END IF;
    RETURN NEXT;
END
$function$;

ALTER FUNCTION dba.begin_load(text, text, text, bigint, uuid, text, integer) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.begin_load(text, text, text, bigint, uuid, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.begin_load(text, text, text, bigint, uuid, text, integer) TO feeds_etl;
COMMENT ON FUNCTION dba.begin_load(text, text, text, bigint, uuid, text, integer) IS
'Second way in: registers a file the client will stream, creates its session''s chunk table pg_temp.load_<id>_c (n, chunk bytea; INSERT granted to feeds_etl; split into the lines of stage.load_<id> at the end of the COPY) and returns the binary COPY … FROM STDIN statement (one bytea per row: the file''s bytes unchanged, in order, in chunks of p_chunk_size bytes) to use; status duplicate when the job already has that content (the same sha256, or the same chunk digest). The stream is checked against the registration before its lines are used (its length against p_size and its chunks against p_chunk_sha256, or without one its whole against p_sha256, at most 1 GB): else the load fails with FD016. Raises FD001, FD003, FD011, 22023.';

COMMIT;
