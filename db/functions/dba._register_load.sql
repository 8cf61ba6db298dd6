-- dba._register_load: record a file attempt, or find that its content is already loaded.
CREATE OR REPLACE FUNCTION dba._register_load(
    p_cfg       dba.timportconfig,
    p_file_name text,
    p_file_path text,
    p_sha256    text,
    p_size      bigint,
    p_run_uuid  uuid,
    p_way_in    text,
    p_chunk_sha256 text DEFAULT NULL,
    p_chunk_size   integer DEFAULT NULL
) RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal. Inserts a 'pending' dba.tdataloads row, or a 'duplicate' row naming the earlier
   load when this job already has the same content pending or loaded with the same values taken
   from the file name (exactly once by what the job loads: dba._file_name_values(), so the same
   list under two event ids in the name is two loads). The same content is the same sha256, or
   the same chunk digest over the same chunk size: the server verifies only the chunk digest, so
   a registration with another sha256 for the same bytes is the same content all the same (the
   unique indexes tdataloads_config_sha256_key and tdataloads_config_chunk_sha256_key, so two
   sessions cannot both register it).
   A pending row the watcher registered for the same path is reused when its digests are these
   (p_chunk_sha256 NULL: nothing to compare, the row's kept); a registration of that path with
   other digests is refused, never written over. A client load of the same content still in
   progress makes this one a duplicate, one abandoned for over an hour is failed first.
   p_chunk_sha256 and p_chunk_size are the file's chunk digest (dba.tdataloads.chunk_sha256), what
   dba._check_registered checks a server file against one chunk at a time and dba._stage_file a
   client's stream; both or neither.
   Raises 22004 without a run, 22023 for a malformed sha256 or chunk digest, or for a pending
   registration of the same path whose digests are not these.
*/
DECLARE
    v_load   dba.tdataloads;
    v_prev   bigint;
    v_try    integer;
    v_values jsonb := dba._file_name_values(p_cfg, p_file_name);
BEGIN
    IF p_run_uuid IS NULL THEN
        RAISE EXCEPTION 'a load needs a run' USING ERRCODE = '22004';
    END IF;
    IF p_sha256 IS NULL OR p_sha256 !~ '^[0-9a-f]{64}$' THEN
        RAISE EXCEPTION 'sha256 of % must be 64 lower-case hex digits', quote_literal(p_file_name)
              USING ERRCODE = '22023';
    END IF;
    IF (p_chunk_sha256 IS NULL) <> (p_chunk_size IS NULL) OR p_chunk_sha256 !~ '^[0-9a-f]{64}$'
       OR p_chunk_size NOT BETWEEN 1 AND 67108864 OR p_size > p_chunk_size * 1048576::bigint THEN
        RAISE EXCEPTION 'chunk digest of % must be 64 lower-case hex digits with its chunk size, 1 byte to 64 MiB and at most 1048576 chunks (given %, %)',
                        quote_literal(p_file_name), coalesce(p_chunk_sha256, 'none'), coalesce(p_chunk_size::text, 'none')
              USING ERRCODE = '22023',
                    HINT = 'The watcher gives both (shims/fsutil.py, Digests); see dba.tdataloads.chunk_sha256 for the definition.';
    END IF;
    -- A client load begun over an hour ago and never finished is abandoned: fail it (with that
    -- reason) so the content can be sent again.
    UPDATE dba.tdataloads d
       SET status = 'failed', error_sqlstate = 'FD050', finished_at = clock_timestamp(),
           error_message = format('%s: abandoned: begin_load at %s was never followed by finish_load',
                                  d.file_name, d.started_at)
     WHERE d.config_id = p_cfg.config_id AND d.file_name_values = v_values
       AND (d.sha256 = p_sha256 OR (d.chunk_sha256, d.chunk_size) = (p_chunk_sha256, p_chunk_size))
       AND d.status = 'pending' AND d.way_in = 'client' AND d.started_at < clock_timestamp() - interval '1 hour';
    -- The watcher registers a file before run_import reads it: that pending row is reused, as it
    -- is. Client loads never share one (each streams into its own staging table).
    SELECT * INTO v_load FROM dba.tdataloads
     WHERE config_id = p_cfg.config_id AND file_path = p_file_path AND status = 'pending'
       AND way_in = 'server' AND p_way_in = 'server'
     ORDER BY load_id DESC LIMIT 1
       FOR UPDATE;
    IF FOUND THEN
        IF v_load.sha256 <> p_sha256 OR (p_chunk_sha256 IS NOT NULL
                                         AND (v_load.chunk_sha256, v_load.chunk_size) IS DISTINCT FROM (p_chunk_sha256, p_chunk_size)) THEN
            RAISE EXCEPTION '%: % is already registered, as load %, with another %; a registration is never changed',
                            quote_literal(p_file_name), p_file_path, v_load.load_id,
                            CASE WHEN v_load.sha256 <> p_sha256 THEN 'sha256' ELSE 'chunk digest' END
                  USING ERRCODE = '22023',
                        HINT = 'dba.run_import() checks the file against that registration (FD016 when it changed, and feeds run puts it back into the inbox to be registered again).';
        END IF;
        UPDATE dba.tdataloads SET run_uuid = p_run_uuid, started_at = clock_timestamp()
         WHERE load_id = v_load.load_id RETURNING * INTO v_load;
        RETURN v_load;
    END IF;

    -- The earlier live load of the same content; none: this one, unless another session
    -- registers the same content first (the unique indexes): then that one is the earlier load.
    FOR v_try IN 1..2 LOOP
        SELECT load_id INTO v_prev FROM dba.tdataloads d
         WHERE d.config_id = p_cfg.config_id AND d.file_name_values = v_values
           AND (d.sha256 = p_sha256 OR (d.chunk_sha256, d.chunk_size) = (p_chunk_sha256, p_chunk_size))
           AND d.status IN ('pending', 'loaded', 'loaded_with_rejects')
         ORDER BY load_id LIMIT 1;
        EXIT WHEN v_prev IS NOT NULL OR v_try = 2;
        BEGIN
            INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, file_path, file_size, sha256,
                                        chunk_sha256, chunk_size, file_name_values, status, way_in)
            VALUES (p_run_uuid, p_cfg.config_id, p_cfg.job_name, p_file_name, p_file_path, p_size, p_sha256,
                    p_chunk_sha256, p_chunk_size, v_values, 'pending', p_way_in)
            RETURNING * INTO v_load;
            RETURN v_load;
        EXCEPTION WHEN unique_violation THEN
            NULL;  -- another session registered the same content first: look again
        END;
    END LOOP;
    INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, file_path, file_size, sha256,
                                chunk_sha256, chunk_size, file_name_values, status, duplicate_of, way_in,
                                finished_at, error_message)
    VALUES (p_run_uuid, p_cfg.config_id, p_cfg.job_name, p_file_name, p_file_path, p_size, p_sha256,
            p_chunk_sha256, p_chunk_size, v_values, 'duplicate', v_prev, p_way_in, clock_timestamp(),
            format('%s: same content as load %s%s; nothing loaded', p_file_name, v_prev,
                   CASE WHEN v_values <> '{}' THEN ' (and the same ' || v_values::text || ' from the file name)' END))
    RETURNING * INTO v_load;
    PERFORM dba.log(p_run_uuid => p_run_uuid, p_process_type => 'run_import',
                    p_load_id => v_load.load_id, p_level => 'warning', p_message => v_load.error_message);
    RETURN v_load;
END
$function$;

ALTER FUNCTION dba._register_load(dba.timportconfig, text, text, text, bigint, uuid, text, text, integer) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._register_load(dba.timportconfig, text, text, text, bigint, uuid, text, text, integer) FROM PUBLIC;
COMMENT ON FUNCTION dba._register_load(dba.timportconfig, text, text, text, bigint, uuid, text, text, integer) IS
'Internal: inserts a pending load, reuses a matching pending registration, or records a duplicate of the live load with the same content (the same sha256, or the same chunk digest and chunk size: the digest the server verifies) and the same values taken from the file name (dba._file_name_values), with the file''s chunk digest when given. Raises 22004 without a run, 22023 for a malformed sha256 or chunk digest, or for a re-registration of a pending path with other digests (never written over).';
