-- Quoted fields that span lines (a line break inside an Excel cell) load as one record.
BEGIN;
SELECT plan(13);
\ir fixtures/engine.psql

SELECT pg_temp.job('ml', '^ml_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"},{"source":"note","target":"note"}]');
SELECT pg_temp.deliver('ml_1.csv', E'code,qty,note\r\na,1,"first line\r\nsecond line"\r\nb,2,plain\r\nc,3,"one\r\n\r\nempty line between"\r\nd,x,"bad ""qty"" but\r\nquoted fine"\r\ne,5,"never closed\r\nf,6,lost\r\n');
CREATE TEMP TABLE r AS SELECT * FROM dba.run_import(p_job => 'ml');
SELECT is((SELECT status FROM r), 'loaded_with_rejects', 'a file with multi-line fields loads');
SELECT is((SELECT rows_read FROM r), 5::bigint, 'records, not physical lines, are counted');
SELECT results_eq($$SELECT code, qty, note, line_no FROM eng_fx.events ORDER BY line_no$$,
                  $$VALUES ('a', 1, E'first line\r\nsecond line', 2::bigint), ('b', 2, 'plain', 4),
                           ('c', 3, E'one\r\n\r\nempty line between', 5)$$,
                  'multi-line values arrive whole, their CR LF kept byte for byte, with the line each record starts on');
SELECT is((SELECT raw_value FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r) AND rule = 'type'), 'x',
          'a bad value in a multi-line record is rejected like any other');
SELECT is((SELECT line_no FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r) AND rule = 'type'), 8::bigint,
          'at the line its record starts on');
SELECT is((SELECT line_no FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r) AND rule = 'csv_syntax'), 10::bigint,
          'a quote never closed swallows the rest and is rejected where it starts');
SELECT matches((SELECT message FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r) AND rule = 'csv_syntax'),
               'a quoted field never closed', 'and says so');
SELECT ok(to_regclass(format('stage.load_%s_m', (SELECT load_id FROM r))) IS NULL, 'the joined records are not left behind');

-- Mixed line endings: CRLF rows, an LF inside a quoted cell, a lone CR; COPY refuses such a
-- file, the engine splits it itself.
SELECT pg_temp.deliver('ml_2.csv', E'code,qty,note\r\ng,7,"cell\nbreak"\r\nh,8,crlf\ri,9,cr\n');
CREATE TEMP TABLE r2 AS SELECT * FROM dba.run_import(p_file => 'ml_2.csv');
SELECT is((SELECT status FROM r2), 'loaded', 'a file mixing CRLF, LF and CR loads');
SELECT results_eq($$SELECT code, note, line_no FROM eng_fx.events WHERE code IN ('g', 'h', 'i') ORDER BY line_no$$,
                  $$VALUES ('g', E'cell\nbreak', 2::bigint), ('h', 'crlf', 4), ('i', 'cr', 5)$$,
                  'with the cell''s line break kept and every line numbered');
-- Staged in chunks, never read whole: with 7-byte chunks every boundary case occurs (a CR LF
-- cut between its two bytes, a line longer than a chunk, no final line end).
CREATE TEMP TABLE mixed (line_no bigint GENERATED ALWAYS AS IDENTITY, raw text, eol text);
SELECT is(dba._stage_mixed_lines('mixed', pg_temp.write_file('ml_mixed.txt', E'abcdef\r\nghijklmnopq\nop\r\rq\r\n\nlast'), 'UTF8', 7),
          7::bigint, 'a mixed file read 7 bytes at a time gives every line');
SELECT results_eq($$SELECT raw, eol FROM mixed ORDER BY line_no$$,
                  $$VALUES ('abcdef', E'\r\n'), ('ghijklmnopq', E'\n'), ('op', E'\r'), (NULL, E'\r'), ('q', E'\r\n'), (NULL, E'\n'), ('last', E'\n')$$,
                  'each with its own ending; an empty line is NULL, as COPY stages it');
SELECT pg_temp.deliver('ml_3.csv', E'code,qty,note\r\nj,1,"x\nbad caf\u00e9"\r\n', 'LATIN1');
SELECT matches((SELECT message FROM dba.run_import(p_file => 'ml_3.csv')), 'ml_3.csv.*cannot be read as UTF8',
               'a mixed-ending file in the wrong encoding still fails with its reason');

SELECT * FROM finish();
ROLLBACK;
