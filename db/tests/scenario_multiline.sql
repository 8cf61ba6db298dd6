-- Quoted fields that span lines (a line break inside an Excel cell) load as one record.
BEGIN;
SELECT plan(8);
\ir fixtures/engine.psql

SELECT pg_temp.job('ml', '^ml_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"},{"source":"note","target":"note"}]');
SELECT pg_temp.write_file('ml_1.csv', E'code,qty,note\r\na,1,"first line\r\nsecond line"\r\nb,2,plain\r\nc,3,"one\r\n\r\nempty line between"\r\nd,x,"bad ""qty"" but\r\nquoted fine"\r\ne,5,"never closed\r\nf,6,lost\r\n');
CREATE TEMP TABLE r AS SELECT * FROM dba.run_import(p_job => 'ml');
SELECT is((SELECT status FROM r), 'loaded_with_rejects', 'a file with multi-line fields loads');
SELECT is((SELECT rows_read FROM r), 5::bigint, 'records, not physical lines, are counted');
SELECT results_eq($$SELECT code, qty, note, line_no FROM eng_fx.events ORDER BY line_no$$,
                  $$VALUES ('a', 1, E'first line\nsecond line', 2::bigint), ('b', 2, 'plain', 4),
                           ('c', 3, E'one\n\nempty line between', 5)$$,
                  'multi-line values arrive whole, with the line each record starts on');
SELECT is((SELECT raw_value FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r) AND rule = 'type'), 'x',
          'a bad value in a multi-line record is rejected like any other');
SELECT is((SELECT line_no FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r) AND rule = 'type'), 8::bigint,
          'at the line its record starts on');
SELECT is((SELECT line_no FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r) AND rule = 'csv_syntax'), 10::bigint,
          'a quote never closed swallows the rest and is rejected where it starts');
SELECT matches((SELECT message FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r) AND rule = 'csv_syntax'),
               'a quoted field never closed', 'and says so');
SELECT ok(to_regclass(format('stage.load_%s_m', (SELECT load_id FROM r))) IS NULL, 'the joined records are not left behind');

SELECT * FROM finish();
ROLLBACK;
