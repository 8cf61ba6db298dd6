-- dba._stage_mixed_lines(): the one line splitter of staging, over a file read in chunks and
-- over a client's chunk table; never the whole file at once.
BEGIN;
SELECT plan(12);
\ir fixtures/engine.psql

-- A file read 7 bytes at a time (a server file whose endings mix): a CR LF cut between its two
-- bytes, a line longer than a chunk, lone CRs, no final line end.
CREATE TEMP TABLE mixed (line_no bigint GENERATED ALWAYS AS IDENTITY, raw text, eol text);
SELECT pg_temp.write_file('ml_mixed.txt', E'abcdef\r\nghijklmnopq\nop\r\rq\r\n\nlast') AS path \gset
DECLARE f CURSOR FOR SELECT pg_read_binary_file(:'path', o, 7, false) FROM generate_series(0, (pg_stat_file(:'path')).size - 1, 7) o;
SELECT is(dba._stage_mixed_lines('mixed', 'f', 'UTF8'), 7::bigint, 'a mixed file read 7 bytes at a time gives every line');
SELECT results_eq($$SELECT raw, eol FROM mixed ORDER BY line_no$$,
                  $$VALUES ('abcdef', E'\r\n'), ('ghijklmnopq', E'\n'), ('op', E'\r'), (NULL, E'\r'), ('q', E'\r\n'), (NULL, E'\n'), ('last', E'\n')$$,
                  'each with its own ending; an empty line is NULL, as COPY stages it');

-- A client's chunks, as dba.begin_load's chunk table holds them: a CR at a chunk's end and its
-- LF in the next, a line over three chunks, one chunk without any ending, empty lines of
-- both kinds, a character cut between two chunks, the last line without an ending.
CREATE TEMP TABLE chunks (n int, chunk bytea);
INSERT INTO chunks VALUES (1, '\x61620d'), (2, '\x0a6364656667'), (3, '\x68696a6b'), (4, '\x6c6d0a0a'),
                          (5, '\x0d0a0d0a77c3'), (6, '\xa9');
CLOSE f;
TRUNCATE mixed;
DECLARE c CURSOR FOR SELECT chunk FROM chunks ORDER BY n;
SELECT is(dba._stage_mixed_lines('mixed', 'c', 'UTF8'), 6::bigint, 'a client''s chunks give every line');
SELECT results_eq($$SELECT raw, eol FROM mixed ORDER BY line_no$$,
                  $$VALUES ('ab', E'\r\n'), ('cdefghijklm', E'\n'), (NULL, E'\n'), (NULL, E'\r\n'), (NULL, E'\r\n'), ('wé', E'\n')$$,
                  'the CR LF across two chunks is one ending, the long line whole, the cut character whole');
SELECT is((SELECT array_agg(line_no ORDER BY line_no) FROM mixed), (SELECT array_agg(g::bigint) FROM generate_series(1, 6) g),
          'numbered 1, 2, … without a gap');

-- Bytes not in the encoding: 22021, naming the first line that holds them.
CREATE FUNCTION pg_temp.refusal(p_sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE ex_detail text;
BEGIN
    EXECUTE p_sql;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS ex_detail = PG_EXCEPTION_DETAIL;
    RETURN SQLSTATE || ' ' || ex_detail;
END $$;
CLOSE c;
TRUNCATE chunks;
INSERT INTO chunks VALUES (1, convert_to(E'code\nok\n', 'UTF8')), (2, convert_to(E'fine\ncaf\u00e9\nmore\n', 'LATIN1'));
TRUNCATE mixed;
DECLARE b CURSOR FOR SELECT chunk FROM chunks ORDER BY n;
SELECT is(pg_temp.refusal($$SELECT dba._stage_mixed_lines('mixed', 'b', 'UTF8')$$), '22021 line 4',
          'a Latin-1 byte in UTF8 text is refused at its line');
CLOSE b;
TRUNCATE mixed;
DECLARE l CURSOR FOR SELECT chunk FROM chunks ORDER BY n;
SELECT is(dba._stage_mixed_lines('mixed', 'l', 'LATIN1'), 5::bigint, 'the same bytes read as LATIN1 are every line');
SELECT is((SELECT raw FROM mixed WHERE line_no = 4), 'café', 'converted from the encoding');

-- A NUL byte, which no text holds in any encoding (LATIN1 included): refused at its line too.
CLOSE l;
CREATE FUNCTION pg_temp.split(p_chunks bytea[], p_encoding text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_c   refcursor := 'nul';
    v_why text;
BEGIN
    TRUNCATE mixed;
    OPEN v_c FOR SELECT c FROM unnest(p_chunks) WITH ORDINALITY AS u(c, n) ORDER BY n;
    v_why := pg_temp.refusal(format('SELECT dba._stage_mixed_lines(%L, %L, %L)', 'mixed', 'nul', p_encoding));
    CLOSE v_c;
    RETURN v_why;
END $$;
SELECT is(pg_temp.split(ARRAY['\x636f64650a6f6b0d0a6162'::bytea, '\x00630a'], 'UTF8'), '22021 line 3',
          'a NUL in UTF8 text, in the chunk after its line began, is refused at its line');
SELECT is(pg_temp.split(ARRAY['\x636f64650a6f6b0d0a6162'::bytea, '\x00630a'], 'LATIN1'), '22021 line 3',
          'and in LATIN1 text, where every other byte is a character');
SELECT is(pg_temp.split(ARRAY['\x610d00620a'::bytea], 'UTF8'), '22021 line 2',
          'a NUL that starts the line after a lone CR');
SELECT is(pg_temp.split(ARRAY['\x610a63e90a620a00'::bytea], 'UTF8'), '22021 line 2',
          'a byte not in the encoding before a NUL is the first failure');

SELECT * FROM finish();
ROLLBACK;
