-- dba._check_client_stream: is the stream a client sent the file it registered with begin_load?
CREATE OR REPLACE FUNCTION dba._check_client_stream(p_load dba.tdataloads)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba.finish_load() calls it first, before the re-send policy or anything else acts on
   the load, with the client's chunk table pg_temp.load_<id>_c filled by its COPY:
     PERFORM dba._check_client_stream(d) FROM dba.tdataloads d WHERE load_id = 42;
   The stream must be what dba.begin_load registered: its length the registered size, and its
   rows, each chunk_size bytes but the last, by the chunk digest (the sha256 of their sha256 in
   order); without a chunk digest, the whole by sha256, in one piece of at most 1 GB. Raises
   FD016 when it is not (a file still written while it was sent), naming the file and what
   differs, nothing of its content.
*/
DECLARE
    v_table  text := format('pg_temp.%I', 'load_' || p_load.load_id || '_c');
    v_sent   bigint;
    v_sized  boolean;
    v_digest bytea;
    v_why    text;
BEGIN
    EXECUTE format('SELECT coalesce(sum(length(chunk)), 0), bool_and(length(chunk) = $1 OR n = (SELECT max(n) FROM %1$s)),
                           sha256(coalesce(string_agg(sha256(chunk), ''''::bytea ORDER BY n), ''''::bytea)) FROM %1$s', v_table)
       INTO v_sent, v_sized, v_digest USING p_load.chunk_size;
    IF v_sent <> p_load.file_size THEN
        v_why := format('%s bytes sent, %s registered', v_sent, p_load.file_size);
    ELSIF p_load.chunk_sha256 IS NULL AND v_sent > 1073741819 THEN
        v_why := 'over 1 GB and registered without its chunk digest, so it cannot be checked';
    ELSIF p_load.chunk_sha256 IS NULL THEN
        EXECUTE format('SELECT sha256(coalesce(string_agg(chunk, ''''::bytea ORDER BY n), ''''::bytea)) FROM %s', v_table)
           INTO v_digest;
        v_why := CASE WHEN encode(v_digest, 'hex') <> p_load.sha256 THEN 'its sha256 differs from the one registered' END;
    ELSIF NOT coalesce(v_sized, true) THEN
        v_why := format('its chunks are not the registered %s bytes each', p_load.chunk_size);
    ELSIF encode(v_digest, 'hex') <> p_load.chunk_sha256 THEN
        v_why := 'its chunk digest differs from the one registered';
    END IF;
    IF v_why IS NOT NULL THEN
        RAISE EXCEPTION '%: the stream is not the file begin_load registered (%): it changed while it was sent; nothing of it was loaded',
                        p_load.file_name, v_why
              USING ERRCODE = 'FD016',
                    HINT = 'Send the complete file again (feeds load reads its digests, then its bytes: a writer at work in between changes what is sent).';
    END IF;
END
$function$;

ALTER FUNCTION dba._check_client_stream(dba.tdataloads) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._check_client_stream(dba.tdataloads) FROM PUBLIC;
COMMENT ON FUNCTION dba._check_client_stream(dba.tdataloads) IS
'Internal: checks that a client''s streamed chunks are the file dba.begin_load registered (length against file_size, chunks against chunk_sha256, or without one the whole against sha256 up to 1 GB), else raises FD016 naming the file and what differs.';
