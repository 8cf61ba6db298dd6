-- Load modes (upsert with each duplicate-key policy, replace, replace_per_run) and reject limits.
BEGIN;
SELECT plan(28);
\ir fixtures/engine.psql

-- upsert, duplicate keys inside one file
SELECT pg_temp.job('lm_last', '^lm_last_\d+\.csv$', '[{"source":"id","target":"id","type":"integer"},{"source":"name","target":"name"}]',
                   'eng_fx.people', 'upsert', '{id}', '{"duplicate_key_policy":"last_wins"}');
SELECT pg_temp.deliver('lm_last_1.csv', E'id,name\n1,first\n2,only\n1,second\n1,third\n');
SELECT is((SELECT rows_inserted FROM dba.run_import(p_job => 'lm_last')), 2::bigint, 'last_wins: one row per key');
SELECT is((SELECT name FROM eng_fx.people WHERE id = 1), 'third', 'last_wins keeps the last line');
SELECT is((SELECT count(*) FROM dba.tundoimages WHERE target_table = 'eng_fx.people'), 0::bigint,
          'an upsert into an empty table overwrites nothing and keeps no images');
SELECT ok(EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'eng_fx.people'::regclass AND mode = 'ShareRowExclusiveLock'
                     AND pid = pg_backend_pid() AND granted),
          'and holds the table against other writers until it commits');

UPDATE dba.timportconfig SET duplicate_key_policy = 'first_wins' WHERE job_name = 'lm_last';
SELECT pg_temp.deliver('lm_last_2.csv', E'id,name\n3,first\n3,second\n');
SELECT is((SELECT rows_inserted FROM dba.run_import(p_file => 'lm_last_2.csv')), 1::bigint, 'first_wins: one row per key');
SELECT is((SELECT name FROM eng_fx.people WHERE id = 3), 'first', 'first_wins keeps the first line');

UPDATE dba.timportconfig SET duplicate_key_policy = 'reject' WHERE job_name = 'lm_last';
SELECT pg_temp.deliver('lm_last_3.csv', E'id,name\n4,a\n4,b\n5,c\n');
CREATE TEMP TABLE r AS SELECT * FROM dba.run_import(p_file => 'lm_last_3.csv');
SELECT is((SELECT (rows_inserted, rows_rejected)::text FROM r), '(1,2)', 'reject: every row of a duplicated key is rejected');
SELECT is((SELECT string_agg(line_no::text, ',' ORDER BY line_no) FROM dba.tloaderror
            WHERE load_id = (SELECT load_id FROM r) AND rule = 'duplicate_key'), '2,3', 'both lines are recorded as duplicate_key');

-- replace: the file replaces the table, atomically
SELECT pg_temp.job('lm_repl', '^lm_repl_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"}]',
                   'eng_fx.events', 'replace');
INSERT INTO eng_fx.events (code, qty) VALUES ('old', 1), ('older', 2);
SELECT pg_temp.deliver('lm_repl_1.csv', E'code,qty\nnew,3\n');
SELECT is((SELECT status FROM dba.run_import(p_job => 'lm_repl')), 'loaded', 'replace loads');
SELECT results_eq($$SELECT code FROM eng_fx.events$$, $$VALUES ('new')$$, 'replace leaves only the file''s rows');
SELECT is(pg_temp.images((SELECT load_id FROM dba.tdataloads WHERE file_name = 'lm_repl_1.csv')),
          2::bigint, 'the replaced rows are kept for undo, typed');

-- replace_per_run: emptied once per run, then every file of the run appends
UPDATE dba.timportconfig SET load_mode = 'replace_per_run' WHERE job_name = 'lm_repl';
SELECT pg_temp.deliver('lm_repl_2.csv', E'code,qty\nr1a,1\n');
SELECT pg_temp.deliver('lm_repl_3.csv', E'code,qty\nr1b,1\n');
SELECT is((SELECT count(*) FROM dba.run_import(p_job => 'lm_repl', p_run_uuid => dba.start_run('pgtap'))), 2::bigint, 'run 1: two files');
SELECT results_eq($$SELECT code FROM eng_fx.events ORDER BY code$$, $$VALUES ('r1a'), ('r1b')$$,
                  'replace_per_run: emptied at the start of the run, both files of the run kept');
SELECT pg_temp.deliver('lm_repl_4.csv', E'code,qty\nr2,1\n');
SELECT is((SELECT count(*) FROM dba.run_import(p_job => 'lm_repl', p_run_uuid => dba.start_run('pgtap'))), 1::bigint, 'run 2: one file');
SELECT results_eq($$SELECT code FROM eng_fx.events$$, $$VALUES ('r2')$$, 'the next run empties the table again');
SAVEPOINT undo_run2;
SELECT lives_ok(format('SELECT dba.undo_load(%s)', (SELECT load_id FROM dba.tdataloads WHERE file_name = 'lm_repl_4.csv')),
                'undo of the load that emptied the table for run 2');
SELECT results_eq($$SELECT code, qty, load_id FROM eng_fx.events ORDER BY code$$,
                  $$SELECT v.code, 1, d.load_id FROM (VALUES ('r1a', 'lm_repl_2.csv'), ('r1b', 'lm_repl_3.csv')) v(code, f)
                      JOIN dba.tdataloads d ON d.file_name = v.f ORDER BY 1$$,
                  'run 1''s rows are back as they were, with the loads that wrote them');
ROLLBACK TO SAVEPOINT undo_run2;

SELECT pg_temp.deliver('lm_repl_5.csv', E'code,qty\nbad,notanumber\n');
UPDATE dba.timportconfig SET max_rejects = 0 WHERE job_name = 'lm_repl';
CREATE TEMP TABLE r3 AS SELECT * FROM dba.run_import(p_job => 'lm_repl', p_run_uuid => dba.start_run('pgtap'));
SELECT is((SELECT status FROM r3), 'failed', 'run 3: its only file fails');
SELECT is((SELECT count(*) FROM eng_fx.events), 0::bigint, 'the table is still emptied at the start of the run');
SELECT is(pg_temp.images((SELECT load_id FROM r3)), 1::bigint,
          'the removed rows are kept under the load that emptied it');

-- reject limits
SELECT pg_temp.job('lm_lim', '^lm_lim_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"}]',
                   'eng_fx.events', 'append', '{}', '{"max_rejects":1}');
SELECT pg_temp.deliver('lm_lim_1.csv', E'code,qty\na,x\nb,y\nc,3\n');
CREATE TEMP TABLE r2 AS SELECT * FROM dba.run_import(p_job => 'lm_lim');
SELECT is((SELECT status FROM r2), 'failed', 'over max_rejects the whole file fails');
SELECT matches((SELECT message FROM r2), '^\[FD030\] lm_lim_1.csv: 2 of 3 rows rejected', 'FD030 says how many');
SELECT is((SELECT count(*) FROM eng_fx.events WHERE code = 'c'), 0::bigint, 'nothing of a failed file is loaded');
SELECT is((SELECT count(*) FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM r2)), 2::bigint,
          'the rejected rows of a failed file are kept with their reasons');
SELECT ok(to_regclass(format('stage.load_%s', (SELECT load_id FROM r2))) IS NOT NULL,
          'the staging table of a failed file is kept for a look');
SELECT is((SELECT relpersistence FROM pg_class WHERE oid = to_regclass(format('stage.load_%s', (SELECT load_id FROM r2)))),
          'u'::"char", 'unlogged');
UPDATE dba.timportconfig SET max_rejects = NULL, max_reject_ratio = 0.5 WHERE job_name = 'lm_lim';
SELECT pg_temp.deliver('lm_lim_2.csv', E'code,qty\na,x\nb,2\nc,3\n');
SELECT is((SELECT status FROM dba.run_import(p_file => 'lm_lim_2.csv')), 'loaded_with_rejects', 'under the ratio the file loads');
SELECT ok(to_regclass(format('stage.load_%s', (SELECT load_id FROM r2))) IS NULL,
          'the next run drops it');

SELECT * FROM finish();
ROLLBACK;
