-- Second way in: dba.begin_load() + client COPY … FROM STDIN + dba.finish_load().
BEGIN;
SELECT plan(17);
\ir fixtures/engine.psql

SELECT pg_temp.job('bl', '^bl_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"}]');
CREATE TEMP TABLE b AS SELECT * FROM dba.begin_load('bl', 'bl_1.csv', repeat('a', 64), 20);
GRANT SELECT ON b TO feeds_etl;
SELECT is((SELECT status FROM b), 'pending', 'begin_load registers a pending client load');
SELECT is((SELECT staging_table FROM b), format('stage.load_%s', (SELECT load_id FROM b)), 'and hands out its staging table');

SET LOCAL ROLE feeds_etl;
SELECT copy_sql AS copy_sql FROM b \gset
:copy_sql ;
code,qty
a,1
b,x
c,3
\.
SELECT is((SELECT count(*) FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM b)), 1::bigint, 'feeds_etl streamed the file');
CREATE TEMP TABLE f AS SELECT * FROM dba.finish_load((SELECT load_id FROM b));
RESET ROLE;
SELECT is((SELECT status FROM f), 'loaded_with_rejects', 'finish_load validates and loads like run_import');
SELECT is((SELECT (rows_read, rows_inserted, rows_rejected)::text FROM f), '(3,2,1)', 'with the same counts');
SELECT is((SELECT way_in FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM b)), 'client', 'the load is marked as a client load');
SELECT is((SELECT line_no FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM b)), 3::bigint, 'rejected rows keep their line numbers');
SELECT ok(to_regclass(format('stage.load_%s', (SELECT load_id FROM b))) IS NULL, 'the staging table is dropped after a good load');

SELECT throws_ok(format('SELECT * FROM dba.finish_load(%s)', (SELECT load_id FROM b)), 'FD050', NULL, 'finishing twice is FD050');
SELECT is((SELECT status FROM dba.begin_load('bl', 'bl_2.csv', repeat('a', 64), 20)), 'duplicate', 'the same content again is a duplicate');
SELECT throws_ok($$SELECT * FROM dba.begin_load('bl', 'other.csv', repeat('b', 64), 1)$$, 'FD003', NULL, 'a name the job does not take is FD003');

CREATE TEMP TABLE d AS SELECT * FROM dba.begin_load('bl', 'bl_8.csv', repeat('d', 64), 12);
SELECT copy_sql AS copy_sql FROM d \gset
:copy_sql ;
code,qty
q,1
\.
SELECT is((SELECT message FROM dba.finish_load((SELECT load_id FROM d), p_dry_run => true)),
          'dry run: 1 rows would load, 0 rejected; nothing was changed', 'a dry run says nothing was changed, like run_import');

-- A clean client file loads in one pass over its staged lines, quotes and all.
CREATE TEMP TABLE q AS SELECT * FROM dba.begin_load('bl', 'bl_9.csv', repeat('e', 64), 30);
SELECT copy_sql AS copy_sql FROM q \gset
:copy_sql ;
code,qty
"r, s",1
t,2
\.
SELECT is((SELECT (status, rows_read, rows_inserted)::text FROM dba.finish_load((SELECT load_id FROM q))), '(loaded,2,2)',
          'a clean client file loads');
SELECT is((SELECT load_path FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM q)), 'one_pass',
          'in one pass over the staged lines');

-- Two clients with the same content at once never share a staging table.
CREATE TEMP TABLE c1 AS SELECT * FROM dba.begin_load('bl', 'bl_5.csv', repeat('c', 64), 20);
CREATE TEMP TABLE c2 AS SELECT * FROM dba.begin_load('bl', 'bl_6.csv', repeat('c', 64), 20);
SELECT is((SELECT (c1.status, c2.status)::text FROM c1, c2), '(pending,duplicate)',
          'while a client load is in progress, the same content from another client is a duplicate');
-- An abandoned client load (begun long ago, never finished) gives way.
UPDATE dba.tdataloads SET started_at = now() - interval '2 hours' WHERE load_id = (SELECT load_id FROM c1);
CREATE TEMP TABLE c3 AS SELECT * FROM dba.begin_load('bl', 'bl_7.csv', repeat('c', 64), 20);
SELECT is((SELECT status FROM c3), 'pending', 'an abandoned client load gives way to a new one');
SELECT matches((SELECT error_message FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM c1)),
               'abandoned: begin_load at .* was never followed by finish_load', 'and is failed with that reason');

SELECT * FROM finish();
ROLLBACK;
