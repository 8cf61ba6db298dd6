-- Second way in: dba.begin_load() + the client's binary COPY … FROM STDIN of its file's bytes
-- (here INSERTs into the same chunk table: the trigger fires the same way) + dba.finish_load().
BEGIN;
SELECT plan(20);
\ir fixtures/engine.psql

SELECT pg_temp.job('bl', '^bl_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"}]');
CREATE TEMP TABLE b AS SELECT * FROM dba.begin_load('bl', 'bl_1.csv', repeat('a', 64), 20);
GRANT SELECT ON b TO feeds_etl;
SELECT is((SELECT status FROM b), 'pending', 'begin_load registers a pending client load');
SELECT is((SELECT staging_table FROM b), format('pg_temp.load_%s_c', (SELECT load_id FROM b)), 'and hands out its chunk table');
SELECT is((SELECT copy_sql FROM b), format('COPY pg_temp.load_%s_c (chunk) FROM STDIN WITH (FORMAT binary)', (SELECT load_id FROM b)),
          'and the binary COPY of the file''s bytes into it');

SET LOCAL ROLE feeds_etl;
SELECT staging_table FROM b \gset
-- The bytes as sent, in chunks cut anywhere (inside a CR LF, inside a line).
INSERT INTO :staging_table (chunk) VALUES (convert_to(E'code,qty\r', 'UTF8')), (convert_to(E'\na,1\r\nb,', 'UTF8')),
                                          (convert_to(E'x\r\nc,3\n', 'UTF8'));
RESET ROLE;
SELECT results_eq(format('SELECT line_no, raw, eol FROM stage.load_%s ORDER BY line_no', (SELECT load_id FROM b)),
                  $$VALUES (1::bigint, 'code,qty', E'\r\n'), (2, 'a,1', E'\r\n'), (3, 'b,x', E'\r\n'), (4, 'c,3', E'\n')$$,
                  'the stream is split into lines at the end of the statement, each with its own ending');
SET LOCAL ROLE feeds_etl;
CREATE TEMP TABLE f AS SELECT * FROM dba.finish_load((SELECT load_id FROM b));
RESET ROLE;
SELECT is(to_regclass(format('pg_temp.load_%s_c', (SELECT load_id FROM b))), NULL, 'the chunks are gone');
SELECT is((SELECT status FROM f), 'loaded_with_rejects', 'finish_load validates and loads like run_import');
SELECT is((SELECT (rows_read, rows_inserted, rows_rejected)::text FROM f), '(3,2,1)', 'with the same counts');
SELECT is((SELECT way_in FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM b)), 'client', 'the load is marked as a client load');
SELECT is((SELECT line_no FROM dba.tloaderror WHERE load_id = (SELECT load_id FROM b)), 3::bigint, 'rejected rows keep their line numbers');
SELECT ok(to_regclass(format('stage.load_%s', (SELECT load_id FROM b))) IS NULL, 'the staging table is dropped after a good load');

SELECT throws_ok(format('SELECT * FROM dba.finish_load(%s)', (SELECT load_id FROM b)), 'FD050', NULL, 'finishing twice is FD050');
SELECT is((SELECT status FROM dba.begin_load('bl', 'bl_2.csv', repeat('a', 64), 20)), 'duplicate', 'the same content again is a duplicate');
SELECT throws_ok($$SELECT * FROM dba.begin_load('bl', 'other.csv', repeat('b', 64), 1)$$, 'FD003', NULL, 'a name the job does not take is FD003');

CREATE TEMP TABLE d AS SELECT * FROM dba.begin_load('bl', 'bl_8.csv', repeat('d', 64), 12);
SELECT staging_table FROM d \gset
INSERT INTO :staging_table (chunk) VALUES (convert_to(E'code,qty\nq,1\n', 'UTF8'));
SELECT is((SELECT message FROM dba.finish_load((SELECT load_id FROM d), p_dry_run => true)),
          'dry run: 1 rows would load, 0 rejected; nothing was changed', 'a dry run says nothing was changed, like run_import');

-- A clean client file loads in one pass over its staged lines, quotes and all.
CREATE TEMP TABLE q AS SELECT * FROM dba.begin_load('bl', 'bl_9.csv', repeat('e', 64), 30);
SELECT staging_table FROM q \gset
INSERT INTO :staging_table (chunk) VALUES (convert_to(E'code,qty\n"r, s",1\nt,2\n', 'UTF8'));
SELECT is((SELECT (status, rows_read, rows_inserted)::text FROM dba.finish_load((SELECT load_id FROM q))), '(loaded,2,2)',
          'a clean client file loads');
SELECT is((SELECT load_path FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM q)), 'one_pass',
          'in one pass over the staged lines');

-- Bytes not in the job's encoding (UTF8): the COPY stages nothing, finish_load fails the load
-- at the line, as run_import fails a server file.
CREATE TEMP TABLE e AS SELECT * FROM dba.begin_load('bl', 'bl_10.csv', repeat('f', 64), 30);
SELECT staging_table FROM e \gset
INSERT INTO :staging_table (chunk) VALUES (convert_to(E'code,qty\nok,1\ncaf\u00e9,2\n', 'LATIN1'));
SELECT is((SELECT (status, message)::text FROM dba.finish_load((SELECT load_id FROM e))),
          '(failed,"[22021] bl_10.csv line 3: cannot be read as UTF8 text: invalid byte sequence for encoding ""UTF8"": 0xe9 0x2c 0x32")',
          'a Latin-1 byte in a UTF8 job fails the load, naming the file and the line');

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
