-- Deploy feeds:function_dba__check_registered to pg
-- Generated from db/functions/dba._check_registered.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._check_registered: is the file in processing still the one the watcher registered?
CREATE OR REPLACE FUNCTION dba._check_registered(p_load dba.tdataloads, p_quote bytea DEFAULT NULL, p_when text DEFAULT 'before loading',
                                                 OUT quoted boolean, OUT end_marker boolean)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba.run_import() calls it before a file is staged and again after it loaded, before
   the commit. PostgreSQL follows links and cannot lstat, so the engine reads only what the
   watcher vouched for: it lstat-checked the file (a plain file with one link) and registered its
   size, sha256 and chunk digest (dba.register_file). The file is read one chunk of
   p_load.chunk_size bytes at a time (memory stays bounded whatever the file's size) and checked
   against the chunk digest (dba.tdataloads.chunk_sha256). A registration without one is checked
   against sha256 in one read, which a bytea allows up to 1 GB only: a larger file is refused.
   Raises FD016 when the file at p_load.file_path is missing, or its size or content differ from
   the registered ones (a link planted or swapped in, a file replaced, a writer still at work);
   the message names the file and says so, and holds nothing of what was read.
   Returns, from the same read, whether p_quote (the job's quote character, encoded) occurs in the
   file (quoted), and whether a line begins with the two bytes \. (end_marker): PostgreSQL 15's
   COPY and file_fdw take a line \. for the end of the data and silently read nothing after it,
   so such a file must be split in SQL (dba._stage_mixed_lines), never read by COPY. Both are
   seen across a chunk boundary too.
     SELECT (dba._check_registered(d, '\x22')).* FROM dba.tdataloads d WHERE load_id = 42;
*/
DECLARE
    c_one_read constant bigint := 1073741819;  -- the most one pg_read_binary_file returns
    v_stat    record;
    v_step    bigint := coalesce(p_load.chunk_size, p_load.file_size);
    v_off     bigint := 0;
    v_chunk   bytea;
    v_tail    bytea := '';  -- the last length(p_quote) - 1 bytes read: a quote may span chunks
    v_digests bytea[] := '{}';  -- each chunk's sha256
    v_digest  bytea;
    v_mtail   bytea := '\x0a';  -- the last 2 bytes read (the file's start counts as a line's)
    v_why     text;
BEGIN
    quoted := false;
    end_marker := false;
    SELECT * INTO v_stat FROM pg_stat_file(p_load.file_path, true);
    IF v_stat IS NULL OR v_stat.isdir THEN
        v_why := 'it is gone';
    ELSIF p_load.chunk_sha256 IS NULL AND p_load.file_size > c_one_read THEN
        v_why := 'it is over 1 GB and was registered without its chunk digest, so it cannot be checked';
    ELSIF v_stat.size IS DISTINCT FROM p_load.file_size THEN
        v_why := format('its size differs from the %s bytes registered', p_load.file_size);
    END IF;
    WHILE v_why IS NULL AND v_off < v_stat.size LOOP
        v_chunk := pg_read_binary_file(p_load.file_path, v_off, least(v_step, v_stat.size - v_off), true);
        IF v_chunk IS NULL THEN
            v_why := 'it is gone';
            EXIT;
        END IF;
        v_digests := v_digests || sha256(v_chunk);
        IF NOT end_marker THEN  -- a line feed or carriage return, then \. (a line may start in the last chunk)
            end_marker := position('\x0a5c2e'::bytea IN v_chunk) > 0 OR position('\x0d5c2e'::bytea IN v_chunk) > 0
                          OR position('\x0a5c2e'::bytea IN v_mtail || substr(v_chunk, 1, 2)) > 0
                          OR position('\x0d5c2e'::bytea IN v_mtail || substr(v_chunk, 1, 2)) > 0;
            v_mtail := v_mtail || substr(v_chunk, greatest(length(v_chunk) - 1, 1));
            v_mtail := substr(v_mtail, greatest(length(v_mtail) - 1, 1));
        END IF;
        IF p_quote IS NOT NULL AND NOT quoted THEN
            quoted := position(p_quote IN v_chunk) > 0
                        OR position(p_quote IN v_tail || substr(v_chunk, 1, length(p_quote) - 1)) > 0;
            v_tail := v_tail || substr(v_chunk, greatest(length(v_chunk) - length(p_quote) + 2, 1));
            v_tail := substr(v_tail, greatest(length(v_tail) - length(p_quote) + 2, 1));
        END IF;
        v_off := v_off + v_step;
    END LOOP;
    -- The chunk digest: the sha256 of the chunks' sha256 in order. Without one, the one read's sha256.
    v_digest := CASE WHEN p_load.chunk_sha256 IS NULL THEN coalesce(v_digests[1], sha256(''::bytea))
                     ELSE sha256(coalesce((SELECT string_agg(d, ''::bytea ORDER BY i)
                                             FROM unnest(v_digests) WITH ORDINALITY AS u(d, i)), '')) END;
    IF v_why IS NULL AND encode(v_digest, 'hex') IS DISTINCT FROM coalesce(p_load.chunk_sha256, p_load.sha256) THEN
        v_why := CASE WHEN p_load.chunk_sha256 IS NULL THEN 'its sha256 differs from the one registered'
                      ELSE 'its content differs from the one registered (its chunk digest)' END;
    END IF;
    IF v_why IS NOT NULL THEN
        RAISE EXCEPTION '%: % is not the file feeds watch registered (%, %): a link, a replaced file or one still being written; nothing of it was kept',
                        p_load.file_name, p_load.file_path, p_when, v_why
              USING ERRCODE = 'FD016',
                    HINT = 'Put the complete, real file back into the job''s inbox: feeds watch checks it (a plain file with one link, no writer at work) and registers it.';
    END IF;
END
$function$;

ALTER FUNCTION dba._check_registered(dba.tdataloads, bytea, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._check_registered(dba.tdataloads, bytea, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._check_registered(dba.tdataloads, bytea, text) IS
'Internal: checks, one chunk at a time, that the file of a pending server load is still the one registered (size, and chunk digest; sha256 in one read for a registration without a chunk digest, refused above 1 GB), else raises FD016 with a message that holds nothing of its content; returns whether the given quote bytes occur in it (quoted) and whether a line begins with \. (end_marker: COPY would stop there).';

COMMIT;
