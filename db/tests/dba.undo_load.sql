-- dba.undo_load(): remove inserted rows, restore updated/replaced ones, refuse when a later load touched them.
BEGIN;
SELECT plan(35);
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

-- Awkward types: undo puts every value back exactly, from typed images.
CREATE TABLE eng_fx.awkward (
    id integer CONSTRAINT awkward_pkey PRIMARY KEY, note text, amount numeric(14,4), big numeric, at timestamptz,
    at_local timestamp, tags text[], grid integer[], doc jsonb, raw bytea, flag boolean,
    serial_no bigint GENERATED ALWAYS AS IDENTITY, doubled numeric GENERATED ALWAYS AS (amount * 2) STORED,
    load_id bigint, line_no bigint);
GRANT SELECT, INSERT, UPDATE, DELETE ON eng_fx.awkward TO feeds_owner;
INSERT INTO eng_fx.awkward (id, note, amount, big, at, at_local, tags, grid, doc, raw, flag, load_id) VALUES
    (1, 'one', 12345.6789, 'NaN', '2024-03-31 01:59:59.999999+01', 'infinity', '{a,NULL,"b,c","d\"e"}', '{{1,2},{3,NULL}}',
     '{"k": [1, 2.50, null], "é": {"x": "y"}}', '\x00ff0a0d5c', true, 7),
    (2, NULL, NULL, 123456789012345678901234567890.123456789, '-infinity', '1999-12-31 23:59:59.5', '{}', NULL,
     'null', '\x', NULL, NULL),
    (3, 'kept', -0.0001, 0, '2024-07-01 12:00+05:30', NULL, NULL, '{}', '[]', NULL, false, 8);
CREATE TEMP TABLE awk_before AS SELECT * FROM eng_fx.awkward;
SET LOCAL TimeZone = 'America/Sao_Paulo';

SELECT pg_temp.job('ud_awk', '^udawk_\d+\.csv$', '[{"source":"id","target":"id","type":"integer"},{"source":"note","target":"note"}]',
                   'eng_fx.awkward', 'upsert', '{id}');
SELECT pg_temp.deliver('udawk_1.csv', E'id,note\n1,new one\n2,new two\n4,four\n');
CREATE TEMP TABLE l4 AS SELECT load_id, rows_inserted, rows_updated FROM dba.run_import(p_file => 'udawk_1.csv');
SELECT is((SELECT (rows_inserted, rows_updated)::text FROM l4), '(1,2)', 'upsert: one row new, two overwritten');
SELECT is(pg_temp.images((SELECT load_id FROM l4)), 2::bigint, 'the two overwritten rows are kept, typed');
SELECT is((SELECT count(*) FROM dba.tloadundo WHERE load_id = (SELECT load_id FROM l4)), 0::bigint, 'and not as jsonb');
SELECT is((SELECT old_load_ids FROM dba.tundoimages WHERE load_id = (SELECT load_id FROM l4)), '{7}'::bigint[],
          'the load that had written them is noted');
SELECT lives_ok(format('SELECT dba.undo_load(%s)', (SELECT load_id FROM l4)), 'undo of the upsert');
SELECT results_eq($$SELECT * FROM eng_fx.awkward ORDER BY id$$, $$SELECT * FROM awk_before ORDER BY id$$,
                  'after undo of an upsert every row is back, every value exact (identity and generated columns too)');

SELECT pg_temp.job('ud_awkr', '^udawkr_\d+\.csv$', '[{"source":"id","target":"id","type":"integer"},{"source":"note","target":"note"}]',
                   'eng_fx.awkward', 'replace');
SELECT pg_temp.deliver('udawkr_1.csv', E'id,note\n9,nine\n');
CREATE TEMP TABLE l5 AS SELECT load_id FROM dba.run_import(p_file => 'udawkr_1.csv');
SELECT results_eq($$SELECT id FROM eng_fx.awkward$$, $$VALUES (9)$$, 'replace replaced the awkward table');
SELECT is(pg_temp.images((SELECT load_id FROM l5)), 3::bigint, 'the three removed rows are kept, typed');
SELECT lives_ok(format('SELECT dba.undo_load(%s)', (SELECT load_id FROM l5)), 'undo of the replace');
SELECT results_eq($$SELECT * FROM eng_fx.awkward ORDER BY id$$, $$SELECT * FROM awk_before ORDER BY id$$,
                  'after undo of a replace every row is back, every value exact');

-- A load from before typed images: its images are jsonb in dba.tloadundo, as the old code wrote them.
SELECT pg_temp.deliver('udawk_2.csv', E'id,note\n1,jsonb era\n3,jsonb era\n');
CREATE TEMP TABLE l6 AS SELECT load_id FROM dba.run_import(p_file => 'udawk_2.csv');
SELECT set_config('tap.undo_table', (SELECT undo_table FROM dba.tundoimages WHERE load_id = (SELECT load_id FROM l6)), true);
SELECT set_config('tap.l6', (SELECT load_id FROM l6)::text, true);
DO $$ BEGIN
    EXECUTE format('INSERT INTO dba.tloadundo (load_id, target_table, old_load_id, row_image)
                    SELECT undo_load_id, %L, load_id, to_jsonb(u) - ''undo_load_id'' FROM %s u WHERE undo_load_id = %s',
                   'eng_fx.awkward', current_setting('tap.undo_table'), current_setting('tap.l6'));
    DELETE FROM dba.tundoimages WHERE load_id = current_setting('tap.l6')::bigint;
END $$;
SELECT is((SELECT count(*) FROM dba.tloadundo WHERE load_id = (SELECT load_id FROM l6)), 2::bigint,
          'the older load keeps its two images as jsonb only');
SELECT throws_ok(format('SELECT dba.undo_load(%s)', (SELECT load_id FROM l4)), 'FD041', NULL, 'the undone upsert stays undone');
SELECT lives_ok(format('SELECT dba.undo_load(%s)', (SELECT load_id FROM l6)), 'undo of a load with jsonb images');
SELECT results_eq($$SELECT * FROM eng_fx.awkward ORDER BY id$$, $$SELECT * FROM awk_before ORDER BY id$$,
                  'its rows are back from jsonb, every value exact (generated columns computed again)');

-- The typed images go with their loads; the undo table with the last of them.
SELECT set_config('tap.undo_tables', (SELECT string_agg(DISTINCT undo_table, ',') FROM dba.tundoimages
                                       WHERE target_table = 'eng_fx.awkward'), true);
DELETE FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM l4);
SELECT is((SELECT count(*) FROM dba.tundoimages WHERE load_id = (SELECT load_id FROM l4)), 0::bigint,
          'deleting a load deletes its images');
SELECT ok(to_regclass(current_setting('tap.undo_tables')) IS NOT NULL, 'the undo table stays while another load has images in it');
DELETE FROM dba.tdataloads WHERE load_id IN (SELECT load_id FROM l5 UNION ALL SELECT load_id FROM l6);
SELECT ok(to_regclass(current_setting('tap.undo_tables')) IS NULL
          AND NOT EXISTS (SELECT 1 FROM dba.tundoimages WHERE target_table = 'eng_fx.awkward')
          AND NOT EXISTS (SELECT 1 FROM dba.tloadundo WHERE target_table = 'eng_fx.awkward'),
          'with the last load the undo table is dropped: no orphan images or tables');

-- A column added to the target after a load kept images: a new undo table, and the older load still undoes.
CREATE TABLE eng_fx.grow (id integer CONSTRAINT grow_pkey PRIMARY KEY, name text, load_id bigint, line_no bigint);
GRANT SELECT, INSERT, UPDATE, DELETE ON eng_fx.grow TO feeds_owner;
INSERT INTO eng_fx.grow (id, name) VALUES (1, 'first'), (2, 'second');
SELECT pg_temp.job('ud_grow', '^udg_\d+\.csv$', '[{"source":"id","target":"id","type":"integer"},{"source":"name","target":"name"}]',
                   'eng_fx.grow', 'upsert', '{id}');
SELECT pg_temp.deliver('udg_1.csv', E'id,name\n1,g1\n');
CREATE TEMP TABLE g1 AS SELECT load_id FROM dba.run_import(p_file => 'udg_1.csv');
ALTER TABLE eng_fx.grow ADD COLUMN extra text NOT NULL DEFAULT 'default';
SELECT pg_temp.deliver('udg_2.csv', E'id,name\n1,g2\n2,g2\n');
CREATE TEMP TABLE g2 AS SELECT load_id FROM dba.run_import(p_file => 'udg_2.csv');
SELECT is((SELECT count(DISTINCT undo_table) FROM dba.tundoimages WHERE target_table = 'eng_fx.grow'), 2::bigint,
          'the new layout keeps its images in a new undo table');
SELECT is((dba.undo_load((SELECT load_id FROM g2))).status, 'undone', 'the load after the new column undoes');
SELECT is((dba.undo_load((SELECT load_id FROM g1))).status, 'undone', 'so does the load from before it');
SELECT results_eq($$SELECT id, name, extra, load_id FROM eng_fx.grow ORDER BY id$$,
                  $$VALUES (1, 'first', 'default', NULL::bigint), (2, 'second', 'default', NULL::bigint)$$,
                  'the rows are as before both loads, the new column at its default');

-- A target with its own undo_load_id column cannot keep typed images: the load fails with the reason.
CREATE TABLE eng_fx.clash (id integer CONSTRAINT clash_pkey PRIMARY KEY, undo_load_id bigint, load_id bigint, line_no bigint);
GRANT SELECT, INSERT, UPDATE, DELETE ON eng_fx.clash TO feeds_owner;
INSERT INTO eng_fx.clash (id) VALUES (1);
SELECT pg_temp.job('ud_clash', '^udc_\d+\.csv$', '[{"source":"id","target":"id","type":"integer"}]', 'eng_fx.clash', 'upsert', '{id}');
SELECT pg_temp.deliver('udc_1.csv', E'id\n1\n');
CREATE TEMP TABLE c1 AS SELECT * FROM dba.run_import(p_file => 'udc_1.csv');
SELECT is((SELECT status FROM c1), 'failed', 'an upsert into a target with a column named undo_load_id fails');
SELECT is((SELECT error_sqlstate || ': ' || error_message FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM c1)),
          'FD010: udc_1.csv: target table eng_fx.clash has a column named undo_load_id: its before-images cannot be kept',
          'with FD010 and the reason');

SELECT set_config('tap.l3', (SELECT load_id FROM l3)::text, true);
SET LOCAL ROLE feeds_reader;
SELECT throws_ok(format('SELECT dba.undo_load(%s)', current_setting('tap.l3')), '42501', NULL, 'feeds_reader may not undo');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
