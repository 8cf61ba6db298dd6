-- dba.undo_load(): remove inserted rows, restore updated/replaced ones, refuse when a later load touched them.
BEGIN;
SELECT plan(12);
\ir fixtures/engine.psql

SELECT pg_temp.job('ud', '^ud_\d+\.csv$', '[{"source":"id","target":"id","type":"integer"},{"source":"name","target":"name"}]',
                   'eng_fx.people', 'upsert', '{id}');
INSERT INTO eng_fx.people (id, name) VALUES (1, 'before');
SELECT pg_temp.deliver('ud_1.csv', E'id,name\n1,one\n2,two\n');
CREATE TEMP TABLE l1 AS SELECT load_id FROM dba.run_import(p_file => 'ud_1.csv');
SELECT pg_temp.deliver('ud_2.csv', E'id,name\n2,TWO\n3,three\n');
CREATE TEMP TABLE l2 AS SELECT load_id FROM dba.run_import(p_file => 'ud_2.csv');

SELECT throws_ok(format('SELECT dba.undo_load(%s)', (SELECT load_id FROM l1)), 'FD040', NULL,
                 'undo is refused when a later load changed the rows');
SELECT throws_like(format('SELECT dba.undo_load(%s)', (SELECT load_id FROM l1)),
                   format('%%later load(s) %s changed its rows%%', (SELECT load_id FROM l2)), 'and names that load');

SELECT is((dba.undo_load((SELECT load_id FROM l2))).status, 'undone', 'the later load can be undone');
SELECT results_eq($$SELECT id, name FROM eng_fx.people ORDER BY id$$, $$VALUES (1, 'one'), (2, 'two')$$,
                  'its insert is gone and its update is reverted');
SELECT is((dba.undo_load((SELECT load_id FROM l1))).status, 'undone', 'then the first load can be undone');
SELECT results_eq($$SELECT id, name, load_id FROM eng_fx.people ORDER BY id$$, $$VALUES (1, 'before', NULL::bigint)$$,
                  'the table is as before both loads');
SELECT throws_ok(format('SELECT dba.undo_load(%s)', (SELECT load_id FROM l1)), 'FD041', NULL, 'an undone load cannot be undone again');
SELECT throws_ok('SELECT dba.undo_load(-1)', 'FD001', NULL, 'an unknown load is FD001');

-- replace: undo brings the old contents back
SELECT pg_temp.job('ud_r', '^udr_\d+\.csv$', '[{"source":"code","target":"code"}]', 'eng_fx.events', 'replace');
INSERT INTO eng_fx.events (code) VALUES ('kept1'), ('kept2');
SELECT pg_temp.deliver('udr_1.csv', E'code\nnew\n');
CREATE TEMP TABLE l3 AS SELECT load_id FROM dba.run_import(p_file => 'udr_1.csv');
SELECT results_eq($$SELECT code FROM eng_fx.events$$, $$VALUES ('new')$$, 'replace replaced');
SELECT lives_ok(format('SELECT dba.undo_load(%s)', (SELECT load_id FROM l3)), 'undo of a replace');
SELECT results_eq($$SELECT code FROM eng_fx.events ORDER BY code$$, $$VALUES ('kept1'), ('kept2')$$, 'the old contents are back');

SELECT set_config('tap.l3', (SELECT load_id FROM l3)::text, true);
SET LOCAL ROLE feeds_reader;
SELECT throws_ok(format('SELECT dba.undo_load(%s)', current_setting('tap.l3')), '42501', NULL, 'feeds_reader may not undo');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
