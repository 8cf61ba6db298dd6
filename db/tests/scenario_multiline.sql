-- Quoted fields that span lines (a line break inside an Excel cell) load as one record.
BEGIN;
SELECT plan(11);
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
-- The splitter itself, chunk by chunk: db/tests/dba._stage_mixed_lines.sql.
SELECT pg_temp.deliver('ml_3.csv', E'code,qty,note\r\nj,1,"x\nbad caf\u00e9"\r\n', 'LATIN1');
SELECT is((SELECT message FROM dba.run_import(p_file => 'ml_3.csv')),
          '[22021] ml_3.csv line 3: cannot be read as UTF8 text: invalid byte sequence for encoding "UTF8": 0xe9 0x22 0x0d',
          'a mixed-ending file in the wrong encoding fails with its reason and the line');

SELECT * FROM finish();
ROLLBACK;
