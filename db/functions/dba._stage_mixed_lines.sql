-- dba._stage_mixed_lines: a file's bytes, chunk by chunk, split into lines, each with its own ending.
CREATE OR REPLACE FUNCTION dba._stage_mixed_lines(p_table regclass, p_chunks refcursor, p_encoding text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the one splitter of dba._stage_file(), for both sources of bytes: a file the server
   reads (COPY refused it for mixing CR LF, LF and CR) and a client's stream (dba.begin_load's
   chunk table). The caller opens a cursor over the file's bytes in order, one bytea per row:
     OPEN c FOR SELECT pg_read_binary_file('/srv/…/a.csv', o, 8388608, false)
                  FROM generate_series(0, size - 1, 8388608) o;
     OPEN c FOR SELECT chunk FROM pg_temp.load_42_c ORDER BY n;
     SELECT dba._stage_mixed_lines('stage.load_42', c, 'UTF8');   -- lines staged
   p_table has (line_no, raw, eol). Rows are fetched one at a time (the file is never whole in
   memory); the bytes so far are cut after their last line ending (a CR at the very end waits
   for the next chunk: it may start a CR LF; a line longer than a chunk waits for its end),
   converted from p_encoding and split into lines numbered on from the last: raw without its
   ending, eol CR LF, LF or CR (the last line's, when the file ends without one, LF). An empty
   line is NULL, as COPY stages it. Raises 22021 (22P05) for bytes not in p_encoding, a NUL
   byte included, with DETAIL 'line <n>' naming the first line that holds them.
*/
DECLARE
    v_buf   bytea := '';
    v_chunk bytea;
    v_last  boolean;
    v_cut   integer;
    v_text  text;
    v_lines bigint := 0;
    v_n     bigint;
    v_nul   integer;
    v_off   integer;
    v_line  text;
    v_eol   text;
    v_kind  text;
    ex_state text;
    ex_msg   text;
BEGIN
    LOOP
        FETCH p_chunks INTO v_chunk;
        v_last := NOT FOUND;
        IF v_last THEN
            EXIT WHEN length(v_buf) = 0;
            IF get_byte(v_buf, length(v_buf) - 1) NOT IN (10, 13) THEN
                v_buf := v_buf || '\x0a'::bytea;  -- the last line, without an ending
            END IF;
            v_cut := length(v_buf);
        ELSE
            v_buf := v_buf || coalesce(v_chunk, '');
            -- No ending in this chunk: one line longer than a chunk, read on.
            CONTINUE WHEN position('\x0a'::bytea IN coalesce(v_chunk, '')) = 0 AND position('\x0d'::bytea IN coalesce(v_chunk, '')) = 0;
            v_cut := length(v_buf) - CASE WHEN get_byte(v_buf, length(v_buf) - 1) = 13 THEN 1 ELSE 0 END;  -- a CR waits
            WHILE v_cut > 0 AND get_byte(v_buf, v_cut - 1) NOT IN (10, 13) LOOP
                v_cut := v_cut - 1;
            END LOOP;
            CONTINUE WHEN v_cut = 0;
        END IF;
        BEGIN
            v_text := convert_from(substring(v_buf FROM 1 FOR v_cut), p_encoding);
        EXCEPTION WHEN character_not_in_repertoire OR untranslatable_character THEN
            -- Find the first line whose bytes are not in p_encoding, reading the bytes before the
            -- first NUL (which no text holds, in any encoding) as LATIN1, one character a byte:
            -- a line that does not convert, else the NUL's own line (the x ends the bytes read
            -- with a line of its own, never an ending glued to a CR before the NUL).
            GET STACKED DIAGNOSTICS ex_state = RETURNED_SQLSTATE, ex_msg = MESSAGE_TEXT;
            v_nul := position('\x00'::bytea IN substring(v_buf FROM 1 FOR v_cut));
            v_off := 1;
            FOR v_line, v_eol, v_n IN
                SELECT l.m[1], l.m[2], l.n
                  FROM regexp_matches(convert_from(substring(v_buf FROM 1 FOR CASE WHEN v_nul > 0 THEN v_nul - 1 ELSE v_cut END),
                                                   'LATIN1') || E'x\n', E'([^\r\n]*)(\r\n|\n|\r)', 'g') WITH ORDINALITY AS l(m, n) LOOP
                BEGIN
                    PERFORM convert_from(substring(v_buf FROM v_off FOR length(v_line)), p_encoding);
                EXCEPTION WHEN character_not_in_repertoire OR untranslatable_character THEN
                    EXIT;  -- the first bad byte of the lines: the one ex_msg names
                END;
                v_off := v_off + length(v_line) + length(v_eol);
            END LOOP;
            RAISE EXCEPTION USING ERRCODE = ex_state, MESSAGE = ex_msg, DETAIL = format('line %s', v_lines + v_n);
        END;
        -- Split on LF, where no CR ends a line alone (a CR before the LF makes the ending CR LF;
        -- a text without CR needs no test per line); else by the regex of the three endings.
        v_kind := CASE WHEN strpos(v_text, E'\r') = 0 THEN 'lf'
                       WHEN strpos(replace(v_text, E'\r\n', E'\n'), E'\r') = 0 THEN 'crlf' ELSE 'cr' END;
        EXECUTE format('INSERT INTO %s (line_no, raw, eol) OVERRIDING SYSTEM VALUE SELECT $2 + n, %s FROM %s', p_table,
            CASE v_kind WHEN 'lf' THEN $e$nullif(s, ''), E'\n'$e$
                        WHEN 'crlf' THEN $e$nullif(CASE WHEN right(s, 1) = E'\r' THEN left(s, -1) ELSE s END, ''),
                                           CASE WHEN right(s, 1) = E'\r' THEN E'\r\n' ELSE E'\n' END$e$
                        ELSE $e$nullif(m[1], ''), m[2]$e$ END,
            CASE WHEN v_kind = 'cr' THEN $e$regexp_matches($1, E'([^\r\n]*)(\r\n|\n|\r)', 'g') WITH ORDINALITY AS l(m, n)$e$
                 ELSE $e$string_to_table(left($1, -1), E'\n') WITH ORDINALITY AS l(s, n)$e$ END)
        USING v_text, v_lines;
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_lines := v_lines + v_n;
        v_buf := substring(v_buf FROM v_cut + 1);
        EXIT WHEN v_last;
    END LOOP;
    RETURN v_lines;
END
$function$;

ALTER FUNCTION dba._stage_mixed_lines(regclass, refcursor, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._stage_mixed_lines(regclass, refcursor, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._stage_mixed_lines(regclass, refcursor, text) IS
'Internal: the one line splitter of staging: fetches a file''s bytes from an open cursor (a file read in chunks, or a client''s chunk table), one row at a time, and stages them into p_table (line_no, raw, eol), one row per line with its own ending (CR LF, LF or CR). Returns the lines staged. Raises 22021 or 22P05 for bytes not in the encoding, with DETAIL ''line <n>''.';
