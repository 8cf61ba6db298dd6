-- dba._draft_lines: a sample's bytes as whole decoded lines, with their encoding and line endings.
CREATE OR REPLACE FUNCTION dba._draft_lines(p_parts bytea[], p_file_size bigint,
                                            OUT encoding text, OUT line_ending text, OUT lines text[])
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT * FROM dba._draft_lines(ARRAY[convert_to(E'a;b\r\nCafé;1\r\n', 'LATIN1')], 13);
     -- LATIN1 | CRLF | {a;b,Café;1}
   p_parts are the bytes of dba.draft_sample_ranges(p_file_size), in order. Each part is read as
   Latin-1 first (one character per byte, so nothing is lost), split on CRLF, LF or CR, and only
   whole lines are kept: a later part's first line and any part's last line that stops before
   the end of the file are partial. The encoding is told by the bytes: valid UTF-8 is UTF8;
   otherwise bytes 0x80-0x9F (printable in Windows-1252, C1 controls in Latin-1) make it WIN1252
   when Windows-1252 defines them all, else LATIN1.
*/
DECLARE
    v_bytes bytea;
    v_raw   text;
    v_part  text[];
    v_end   boolean;
    r       record;
BEGIN
    lines := '{}';
    FOR r IN SELECT p.b, p.n, s.byte_offset
               FROM unnest(p_parts) WITH ORDINALITY AS p(b, n)
               JOIN (SELECT row_number() OVER () AS n, x.byte_offset FROM dba.draft_sample_ranges(p_file_size) x) s USING (n)
              ORDER BY p.n LOOP
        v_end := r.byte_offset + length(r.b) >= p_file_size;
        v_part := string_to_array(regexp_replace(convert_from(r.b, 'LATIN1'), E'\r\n?', E'\n', 'g'), E'\n');
        IF v_end AND v_part[cardinality(v_part)] = '' THEN
            v_part := v_part[: cardinality(v_part) - 1];
        END IF;
        lines := lines || v_part[CASE WHEN r.n = 1 THEN 1 ELSE 2 END : cardinality(v_part) - CASE WHEN v_end THEN 0 ELSE 1 END];
    END LOOP;

    SELECT string_agg(convert_from(b, 'LATIN1'), '') INTO v_raw FROM unnest(p_parts) b;
    line_ending := CASE
        WHEN v_raw !~ E'[\r\n]' THEN 'none'
        WHEN v_raw !~ E'\r' THEN 'LF'
        WHEN v_raw !~ E'\n' THEN 'CR'
        WHEN v_raw !~ E'\r(?!\n)|(^|[^\r])\n' THEN 'CRLF'
        ELSE 'mixed' END;

    v_bytes := convert_to(array_to_string(lines, E'\n'), 'LATIN1');
    BEGIN
        PERFORM convert_from(v_bytes, 'UTF8');
        encoding := 'UTF8';
    EXCEPTION WHEN OTHERS THEN
        encoding := 'LATIN1';
        IF array_to_string(lines, '') ~ '[\u0080-\u009f]' THEN
            BEGIN
                PERFORM convert_from(v_bytes, 'WIN1252');
                encoding := 'WIN1252';
            EXCEPTION WHEN OTHERS THEN
                NULL;  -- 0x81, 0x8D, 0x8F, 0x90 or 0x9D: not Windows-1252 text; Latin-1 reads every byte
            END;
        END IF;
    END;
    IF encoding <> 'LATIN1' THEN
        SELECT array_agg(convert_from(convert_to(l, 'LATIN1'), encoding) ORDER BY n) INTO lines
          FROM unnest(lines) WITH ORDINALITY AS u(l, n);
    END IF;
    lines := coalesce(lines, '{}');
END
$function$;

ALTER FUNCTION dba._draft_lines(bytea[], bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._draft_lines(bytea[], bigint) FROM PUBLIC;
COMMENT ON FUNCTION dba._draft_lines(bytea[], bigint) IS
'Internal: the whole lines of a draft''s sample (the parts of dba.draft_sample_ranges), decoded, with the encoding told by the bytes (UTF8, WIN1252 or LATIN1) and the line endings (LF, CRLF, CR, mixed, none). Raises nothing.';
