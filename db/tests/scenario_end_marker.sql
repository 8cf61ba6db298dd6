-- A line that begins with \. : PostgreSQL 15's COPY and file_fdw take a line \. for the end of the
-- data and read nothing after it, silently. Such a file loads whole: dba._check_registered sees
-- the line (also across a chunk boundary) and the file is split in SQL, never read by COPY.
BEGIN;
SELECT plan(14);
\ir fixtures/engine.psql

SELECT pg_temp.job('em', '^em_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"},{"source":"note","target":"note"}]');
SELECT pg_temp.job('em1', '^emone_\d+\.csv$', '[{"source":"code","target":"code"}]');
CREATE FUNCTION pg_temp.marker(p_name text) RETURNS boolean LANGUAGE sql AS $$
    SELECT (dba._check_registered(d)).end_marker FROM dba.tdataloads d
     WHERE d.file_name = p_name AND d.status = 'pending' ORDER BY d.load_id DESC LIMIT 1 $$;

-- The check, chunk by chunk.
SELECT pg_temp.deliver('em_1.csv', E'ab\n\\.\n', p_chunk_size => 3);
SELECT is(pg_temp.marker('em_1.csv'), true, 'a line \. that starts a chunk is seen (its line feed ends the chunk before)');
SELECT pg_temp.deliver('em_2.csv', E'ac\n\\.\n', p_chunk_size => 4);
SELECT is(pg_temp.marker('em_2.csv'), true, 'a line \. cut between its two bytes is seen');
SELECT pg_temp.deliver('em_3.csv', E'\\.\nab\n', p_chunk_size => 1);
SELECT is(pg_temp.marker('em_3.csv'), true, 'a first line \. is seen, read one byte at a time');
SELECT pg_temp.deliver('em_4.csv', E'a\r\\.x\r\n', p_chunk_size => 2);
SELECT is(pg_temp.marker('em_4.csv'), true, 'after a carriage return too, whatever follows on the line');
SELECT pg_temp.deliver('em_5.csv', E'a\\.b\n.\\\n x\\.\n', p_chunk_size => 2);
SELECT is(pg_temp.marker('em_5.csv'), false, 'a \. inside a line, or after a space, is only data');
DELETE FROM dba.tdataloads WHERE file_name ~ '^em_[1-5]\.csv$';

-- A one-column file: \. is a value like any other, and the lines after it load.
SELECT pg_temp.deliver('emone_1.csv', E'code\na\n\\.\nb\n');
CREATE TEMP TABLE r1 AS SELECT * FROM dba.run_import(p_job => 'em1');
SELECT is((SELECT (status, rows_read) FROM r1), ('loaded'::text, 3::bigint), 'a file with a line \. loads every line');
SELECT results_eq($$SELECT code, line_no FROM eng_fx.events ORDER BY line_no$$,
                  $$VALUES ('a', 2::bigint), (E'\\.', 3), ('b', 4)$$,
                  'the \. and the line after it are loaded, each with its line number');

-- Three columns: the line \. is a line with one field (a reject), and the rows after it load.
DELETE FROM eng_fx.events;
SELECT pg_temp.deliver('em_6.csv', E'code,qty,note\r\na,1,x\r\n\\.\r\nb,2,"y\r\nz"\r\n');
CREATE TEMP TABLE r2 AS SELECT * FROM dba.run_import(p_job => 'em');
SELECT is((SELECT (status, rows_read, rows_inserted, rows_rejected) FROM r2), ('loaded_with_rejects'::text, 3::bigint, 2::bigint, 1::bigint),
          'the rows after a line \. are read');
SELECT results_eq($$SELECT code, qty, note, line_no FROM eng_fx.events ORDER BY line_no$$,
                  $$VALUES ('a', 1, 'x', 2::bigint), ('b', 2, E'y\r\nz', 4)$$,
                  'with their values byte for byte (a CR LF inside quotes kept) and line numbers');
SELECT is((SELECT (line_no, raw_line) FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r2)), (3::bigint, E'\\.'::text),
          'the line \. is rejected at its line, with its raw text');
SELECT matches((SELECT path_note FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM r2)),
               'direct path: a line begins with \\\. \(COPY''s end of data\)', 'why the direct path was not taken is recorded');
SELECT isnt((SELECT load_path FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM r2)), 'direct_path', 'nor was it');

-- A clean file with \. only inside its lines still takes the direct path.
DELETE FROM eng_fx.events;
SELECT pg_temp.deliver('em_7.csv', E'code,qty,note\nc,3,a\\.b\nd,4,"\\."\n');
CREATE TEMP TABLE r3 AS SELECT * FROM dba.run_import(p_job => 'em');
SELECT is((SELECT load_path FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM r3)), 'direct_path',
          'a \. inside lines does not keep a file off the direct path');
SELECT results_eq($$SELECT code, note FROM eng_fx.events ORDER BY line_no$$, $$VALUES ('c', E'a\\.b'), ('d', E'\\.')$$,
                  'and its values are read as written');

SELECT * FROM finish();
ROLLBACK;
