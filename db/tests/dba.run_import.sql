-- dba.run_import(): one result row per file; append and every rule; null markers; quoting;
-- CRLF; LATIN1; skip lines; no header; duplicate content; dry run; a failing file among good ones.
BEGIN;
SELECT plan(54);
\ir fixtures/engine.psql

SELECT pg_temp.job('ri_people', '^ri_people_\d+\.csv$', pg_temp.people_map(), 'eng_fx.people', 'upsert', '{id}', '{"null_markers":["","-","NULL"]}');

SELECT pg_temp.deliver('ri_people_1.csv', concat_ws(E'\n',
  'id,name,email,score,active,born,seen',
  '1,Ann,ann@example.com,10.5,true,08/02/1990,08/02/2013 18:30',
  '2,"Smith, J",j@example.org,0,no,-,NULL',
  'x,Bob,bob@example.com,1,yes,01/01/1990,01/01/2013 00:00',
  '4,Cy,not-an-email,101,maybe,31/02/1990,08/020/2013 18:30',
  '5,lower,e@example.com,5,1,01/01/1990,2013-02-08 18:30',
  '6,Waytoolongname,f@example.com,5,0,01/01/1990,01/01/2013 00:00',
  ',Nobody,g@example.com,5,0,01/01/1990,01/01/2013 00:00',
  '8,Eve,h@example.com,5,0,01/01/1990,01/01/2013 00:00,extra',
  '9,"Bad"quote,i@example.com,5,0,01/01/1990,01/01/2013 00:00',
  '', '10,Last,j@example.com,99.9,f,29/02/2000,29/02/2000 23:59', ''));

CREATE TEMP TABLE r AS SELECT * FROM dba.run_import(p_job => 'ri_people');
SELECT is((SELECT count(*) FROM r), 1::bigint, 'one result row per file');
SELECT is((SELECT status FROM r), 'loaded_with_rejects', 'a file with bad rows loads the good ones');
SELECT is((SELECT rows_read FROM r), 10::bigint, 'rows read: every non-blank line after the header');
SELECT is((SELECT rows_inserted FROM r), 3::bigint, 'three valid rows inserted');
SELECT is((SELECT rows_rejected FROM r), 7::bigint, 'seven rows rejected');
SELECT results_eq($$SELECT id, name, email, score, active, born, seen_at, line_no FROM eng_fx.people ORDER BY id$$,
  $$VALUES (1, 'Ann', 'ann@example.com', 10.5, true, DATE '1990-02-08', TIMESTAMP '2013-02-08 18:30', 2::bigint),
           (2, 'Smith, J', 'j@example.org', 0, false, NULL, NULL, 3),
           (10, 'Last', 'j@example.com', 99.9, false, DATE '2000-02-29', TIMESTAMP '2000-02-29 23:59', 12)$$,
  'typed values, quoted commas, null markers and the line number arrive');
SELECT is((SELECT count(*) FROM eng_fx.people WHERE load_id = (SELECT load_id FROM r)), 3::bigint,
          'every loaded row carries its load id');

CREATE TEMP TABLE e AS
SELECT line_no, column_name, raw_value, rule, message, raw_line FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r);
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 4 AND rule = 'type' AND column_name = 'id' AND raw_value = 'x'), 'not an integer');
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 5 AND rule = 'email'), 'invalid e-mail');
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 5 AND rule = 'max' AND raw_value = '101'), 'over the maximum');
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 5 AND rule = 'type' AND column_name = 'active'), 'not a boolean');
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 5 AND rule = 'format' AND raw_value = '31/02/1990'), '31 February is not a date');
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 5 AND rule = 'format' AND raw_value = '08/020/2013 18:30'), 'a three-digit month is not the format');
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 6 AND rule = 'format' AND raw_value = '2013-02-08 18:30'), 'ISO is not DD/MM/YYYY');
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 6 AND rule = 'regex' AND raw_value = 'lower'), 'regex rule');
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 7 AND rule = 'max_length'), 'max_length rule');
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 8 AND rule = 'required' AND column_name = 'id'), 'required value missing');
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 9 AND rule = 'field_count'), 'a row with too many fields');
SELECT ok(EXISTS (SELECT 1 FROM e WHERE line_no = 10 AND rule = 'csv_syntax'), 'a stray quote');
SELECT is((SELECT message FROM e WHERE line_no = 4 AND rule = 'type'),
          'ri_people_1.csv line 4 column id: ''x'' is not a valid integer', 'messages name file, line, column and value');
SELECT is((SELECT raw_line FROM e WHERE line_no = 9), '8,Eve,h@example.com,5,0,01/01/1990,01/01/2013 00:00,extra',
          'the raw line is kept');
SELECT is((SELECT count(*) FROM e WHERE line_no = 9), 1::bigint, 'a wrong field count is one error, not one per column');

-- The same file again (still in processing): skipped while it waits to be archived.
SELECT is((SELECT count(*) FROM dba.run_import(p_job => 'ri_people')), 0::bigint, 'a loaded file waiting for the archive is not loaded again');
-- The same content under another name: a duplicate as it is registered (the watcher archives it).
SELECT pg_temp.deliver('ri_people_2.csv', pg_read_file(current_setting('feeds.test_dir') || '/ri_people_1.csv'));
CREATE TEMP TABLE r2 AS SELECT * FROM dba.tdataloads WHERE file_name = 'ri_people_2.csv';
SELECT is((SELECT status FROM r2), 'duplicate', 'the same content under another name is a duplicate');
SELECT is((SELECT duplicate_of FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM r2)), (SELECT load_id FROM r),
          'the duplicate names the load that has the content');

-- Upsert: changed rows update, new rows insert; dry run changes nothing.
SELECT pg_temp.deliver('ri_people_3.csv', E'id,name,email,score,active,born,seen\r\n1,Anne,ann@example.com,11,true,08/02/1990,08/02/2013 18:30\r\n11,New,n@example.com,1,false,01/01/1990,01/01/2013 00:00\r\n');
CREATE TEMP TABLE r3d AS SELECT * FROM dba.run_import(p_file => 'ri_people_3.csv', p_dry_run => true);
SELECT is((SELECT status FROM r3d), 'dry_run', 'dry run reports');
SELECT is((SELECT name FROM eng_fx.people WHERE id = 1), 'Ann', 'dry run changed nothing in the target');
SELECT is((SELECT string_agg(status, ',') FROM dba.tdataloads WHERE file_name = 'ri_people_3.csv'), 'pending',
          'dry run recorded no load: only the registration, still pending');
CREATE TEMP TABLE r3 AS SELECT * FROM dba.run_import(p_file => 'ri_people_3.csv');
SELECT is((SELECT (rows_inserted, rows_updated)::text FROM r3), '(1,1)', 'CRLF file upserts: one inserted, one updated');
SELECT is((SELECT name FROM eng_fx.people WHERE id = 1), 'Anne', 'the updated row has the new value');

-- LATIN1, semicolons, two preamble lines, append mode, a hook.
SELECT pg_temp.job('ri_events', '^ri_events_\d+\.txt$', '[{"source":"Código","target":"code"},{"source":"qty","target":"qty","type":"integer"},{"source":"nota","target":"note"}]',
                   'eng_fx.events', 'append', '{}', '{"delimiter":";","encoding":"LATIN1","skip_lines":2,"post_load_hook":"eng_fx.count_hook"}');
SELECT pg_temp.deliver('ri_events_1.txt', E'Report of stock\nprinted today\nCODIGO;qty;nota\nA;1;café\nB;2;niño\n', 'LATIN1');
CREATE TEMP TABLE r4 AS SELECT * FROM dba.run_import(p_job => 'ri_events');
SELECT is((SELECT status FROM r4), 'loaded', 'LATIN1 file with preamble loads');
SELECT results_eq($$SELECT code, qty, note, line_no FROM eng_fx.events ORDER BY line_no$$,
                  $$VALUES ('A', 1, 'café', 4::bigint), ('B', 2, 'niño', 5::bigint)$$,
                  'accents survive; header matched without case or accents; line numbers count the preamble');
SELECT is((SELECT rows_seen FROM eng_fx.hook_calls WHERE load_id = (SELECT load_id FROM r4)), 2::bigint,
          'the post-load hook ran with the load id, after the rows were in');
SELECT results_eq(format($$SELECT regexp_replace(message, ':.*', '') || ':' || split_part(message, ': ', 2)
                             FROM dba.tlogentry WHERE load_id = %s ORDER BY step_counter$$, (SELECT load_id FROM r4)),
                  $$VALUES ('ri_events_1.txt:staged from ' || current_setting('feeds.test_dir') || '/ri_events_1.txt'),
                           ('ri_events_1.txt:validated 2 rows, 0 rejected (one pass)'),
                           ('ri_events_1.txt:append into eng_fx.events'),
                           ('ri_events_1.txt:post-load hook eng_fx.count_hook done'),
                           ('loaded ri_events_1.txt:2 read, 2 inserted, 0 updated, 0 rejected')$$,
                  'every step of a load is logged through dba.log, in order');

-- A failing file among good ones: invalid UTF-8 fails alone, the others load.
UPDATE dba.timportconfig SET encoding = 'UTF8', skip_lines = 0 WHERE job_name = 'ri_events';
SELECT pg_temp.deliver('ri_events_2.txt', E'codigo;qty;nota\nC;3;ok\n');
SELECT pg_temp.deliver('ri_events_3.txt', E'codigo;qty;nota\nD;4;caf\u00e9\n', 'LATIN1');
SELECT pg_temp.deliver('ri_events_4.txt', E'codigo;qty;nota\nE;5;ok\n');
CREATE TEMP TABLE r5 AS SELECT * FROM dba.run_import(p_job => 'ri_events');
SELECT results_eq($$SELECT file_name, status FROM r5 ORDER BY file_name$$,
                  $$VALUES ('ri_events_2.txt', 'loaded'), ('ri_events_3.txt', 'failed'), ('ri_events_4.txt', 'loaded')$$,
                  'one bad file does not take the others down');
SELECT matches((SELECT message FROM r5 WHERE status = 'failed'), '^\[22021\] ri_events_3.txt line 2: cannot be read as UTF8',
               'the failure names the SQLSTATE, the file and the line');
SELECT is((SELECT count(*) FROM eng_fx.events WHERE code IN ('C', 'E')), 2::bigint, 'the good files'' rows are in');
-- The failed file is still in processing (the runner has not quarantined it yet): never imported again.
SELECT is((SELECT count(*) FROM dba.run_import(p_job => 'ri_events')), 0::bigint, 'a failed file left in processing is not imported again');
SELECT is((SELECT count(*) FROM dba.tdataloads WHERE file_name = 'ri_events_3.txt'), 1::bigint, 'one file is one failed load');

-- Only registered files are read (the watcher lstat-checks them; the database cannot tell a link).
SELECT pg_temp.write_file('ri_events_5.txt', E'codigo;qty;nota
U;1;unregistered
');
CREATE TEMP TABLE r6 AS SELECT * FROM dba.run_import(p_job => 'ri_events');
SELECT is((SELECT count(*) FROM r6), 0::bigint, 'a file nobody registered is not imported');
SELECT ok(NOT EXISTS (SELECT 1 FROM dba.tdataloads WHERE file_name = 'ri_events_5.txt')
          AND NOT EXISTS (SELECT 1 FROM eng_fx.events WHERE code = 'U'), 'nor recorded as a load: it waits (a DBA may register it)');
SELECT matches((SELECT message FROM dba.tlogentry WHERE message LIKE '%ri_events_5.txt%' ORDER BY log_id DESC LIMIT 1),
               'ri_events_5.txt left waiting, unread: no registration .* run feeds watch', 'the log says why and the way out');
SELECT throws_ok($$SELECT * FROM dba.run_import(p_file => 'ri_events_5.txt')$$, 'FD012',
                 'file ''ri_events_5.txt'' is in the processing directory of an enabled job but was never registered, so it is not read',
                 'asked for by name, it is refused with the reason');
-- Registered, then replaced (a link swapped in): a failed load that keeps nothing of what it read.
SELECT pg_temp.deliver('ri_events_6.txt', E'codigo;qty;nota
V;1;vouched
');
SELECT pg_temp.write_file('ri_events_6.txt', E'codigo;qty;nota
S;x;secret1
');
SELECT pg_temp.deliver('ri_events_7.txt', E'codigo;qty;nota
V;1;vouched
W;2;more
');
SELECT pg_temp.write_file('ri_events_7.txt', E'codigo;qty;nota
S;x;secret
');
CREATE TEMP TABLE r7 AS SELECT * FROM dba.run_import(p_job => 'ri_events');
SELECT results_eq($$SELECT file_name, status, message FROM r7 ORDER BY file_name$$,
  format($$VALUES ('ri_events_6.txt', 'failed', %L), ('ri_events_7.txt', 'failed', %L)$$,
    '[FD016] ri_events_6.txt: ' || current_setting('feeds.test_dir') || '/ri_events_6.txt is not the file feeds watch registered (before loading, its content differs from the one registered (its chunk digest)): a link, a replaced file or one still being written; nothing of it was kept',
    '[FD016] ri_events_7.txt: ' || current_setting('feeds.test_dir') || '/ri_events_7.txt is not the file feeds watch registered (before loading, its size differs from the 37 bytes registered): a link, a replaced file or one still being written; nothing of it was kept'),
  'a file that is not what was registered fails with FD016 and says so');
-- Replaced while it loads (here by its post-load hook, after the rows were in): rolled back.
CREATE FUNCTION eng_fx.swap_hook(p_load_id bigint) RETURNS void LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp AS $$
    SELECT pg_temp.write_file('ri_swap_1.csv', E'code
secret2
') $$;
GRANT EXECUTE ON FUNCTION eng_fx.swap_hook(bigint) TO feeds_owner;
SELECT pg_temp.job('ri_swap', '^ri_swap_\d+\.csv$', '[{"source":"code","target":"code"}]', 'eng_fx.events', 'append', '{}',
                   '{"post_load_hook":"eng_fx.swap_hook"}');
SELECT pg_temp.deliver('ri_swap_1.csv', E'code
vouched
');
SELECT is((SELECT message FROM dba.run_import(p_job => 'ri_swap')),
          '[FD016] ri_swap_1.csv: ' || current_setting('feeds.test_dir') || '/ri_swap_1.csv is not the file feeds watch registered (after loading, its content differs from the one registered (its chunk digest)): a link, a replaced file or one still being written; nothing of it was kept',
          'a file that changed between the check and the end of its load fails');
SELECT is((SELECT count(*) FROM eng_fx.events WHERE code IN ('vouched', 'V', 'W', 'S', 'secret2')), 0::bigint, 'and none of its rows stay');
SELECT is((SELECT count(*) FROM dba.tloaderror e JOIN dba.tdataloads d USING (load_id) WHERE d.file_name ~ '^ri_(events_[67]|swap_1)'),
          0::bigint, 'nor any reject or raw line of it');
SELECT is((SELECT count(*) FROM dba.tlogentry WHERE message ~ 'secret'), 0::bigint, 'and no log line holds its content');

-- No header, by position; an empty file is a layout failure.
SELECT pg_temp.job('ri_nohdr', '^ri_nohdr_\d+\.csv$', '[{"target":"code"},{"target":"qty","type":"integer"}]',
                   'eng_fx.events', 'append', '{}', '{"has_header":false}');
SELECT pg_temp.deliver('ri_nohdr_1.csv', E'Z,9\nY,8\n');
SELECT is((SELECT rows_inserted FROM dba.run_import(p_job => 'ri_nohdr')), 2::bigint, 'files without a header load by position');
SELECT pg_temp.deliver('ri_nohdr_2.csv', E'\uFEFFX,5\nW,6\n');
SELECT is((SELECT rows_inserted FROM dba.run_import(p_file => 'ri_nohdr_2.csv')), 2::bigint,
          'a UTF-8 byte-order mark does not stick to the first value');
SELECT is((SELECT qty FROM eng_fx.events WHERE code = 'X'), 5, 'the first row of a file with a BOM is read as written');
SELECT pg_temp.job('ri_empty', '^ri_empty_\d+\.csv$', '[{"source":"code","target":"code"}]');
SELECT pg_temp.deliver('ri_empty_1.csv', '');
SELECT is((SELECT message FROM dba.run_import(p_job => 'ri_empty')), '[FD021] layout error: ri_empty_1.csv: no header line (line 1 is empty or missing; the file has no data)',
          'an empty file fails with FD021 and says why');

SELECT throws_ok($$SELECT * FROM dba.run_import(p_job => 'nope')$$, 'FD001', NULL, 'an unknown job is FD001');
SELECT throws_ok($$SELECT * FROM dba.run_import(p_file => 'ri_missing.csv')$$, 'FD012', NULL, 'a file that is not waiting is FD012');

SELECT * FROM finish();
ROLLBACK;
