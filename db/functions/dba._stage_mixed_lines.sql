-- dba._stage_mixed_lines: stage a file whose line endings mix, in chunks, keeping each line's ending.
CREATE OR REPLACE FUNCTION dba._stage_mixed_lines(p_table regclass, p_path text, p_encoding text,
                                                  p_chunk integer DEFAULT 8388608)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba._load_file() calls it when COPY refuses a file for mixing CRLF, LF and CR (CRLF
   rows with LF inside Excel cells, files pasted together):
     SELECT dba._stage_mixed_lines('stage.load_42', '/srv/…/a.csv', 'UTF8');   -- lines staged
   The file is read p_chunk bytes at a time (never whole), cut after its last line ending (a CR
   at the very end waits for the next chunk: it may start a CRLF); each line goes to (raw, eol)
   with its own ending, so a record joined over lines keeps its bytes. An empty line is NULL,
   as COPY stages it. Raises what convert_from raises for bytes not in p_encoding (22021).
*/
DECLARE
    v_size  bigint := (pg_stat_file(p_path, false)).size;
    v_off   bigint := 0;
    v_buf   bytea := '';
    v_cut   integer;
    v_lines bigint := 0;
    v_n     bigint;
BEGIN
    WHILE v_off < v_size OR length(v_buf) > 0 LOOP
        IF v_off < v_size THEN
            v_buf := v_buf || pg_read_binary_file(p_path, v_off, p_chunk, false);
            v_off := v_off + p_chunk;
        END IF;
        IF v_off < v_size THEN
            v_cut := length(v_buf);
            IF get_byte(v_buf, v_cut - 1) = 13 THEN
                v_cut := v_cut - 1;  -- a CR at the very end may start a CR LF: it waits
            END IF;
            WHILE v_cut > 0 AND get_byte(v_buf, v_cut - 1) NOT IN (10, 13) LOOP
                v_cut := v_cut - 1;
            END LOOP;
            CONTINUE WHEN v_cut = 0;  -- one line longer than a chunk: read on
        ELSE
            v_buf := v_buf || '\x0a'::bytea;  -- the last line, ended or not
            v_cut := length(v_buf);
        END IF;
        EXECUTE format('INSERT INTO %s (raw, eol) SELECT nullif(m[1], ''''), m[2]
                          FROM regexp_matches($1, E''([^\r\n]*)(\r\n|\n|\r)'', ''g'') WITH ORDINALITY AS l(m, n) ORDER BY l.n', p_table)
        USING convert_from(substring(v_buf FROM 1 FOR v_cut), p_encoding);
        GET DIAGNOSTICS v_n = ROW_COUNT;
        v_lines := v_lines + v_n;
        v_buf := substring(v_buf FROM v_cut + 1);
    END LOOP;
    RETURN v_lines;
END
$function$;

ALTER FUNCTION dba._stage_mixed_lines(regclass, text, text, integer) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._stage_mixed_lines(regclass, text, text, integer) FROM PUBLIC;
COMMENT ON FUNCTION dba._stage_mixed_lines(regclass, text, text, integer) IS
'Internal: stages a file with mixed line endings (CRLF, LF, CR) into (raw, eol), one row per line with its own ending, reading p_chunk bytes at a time. Returns the lines staged. Raises 22021 for bytes not in the encoding, 58P01 for a missing file.';
