-- Second way in: dba.begin_load() + the client's binary COPY … FROM STDIN of its file's bytes
-- (here INSERTs into the same chunk table: the trigger fires the same way) + dba.finish_load(),
-- which first checks the stream against what begin_load registered (FD016 otherwise).
BEGIN;
SELECT plan(29);
\ir fixtures/engine.psql

SELECT pg_temp.job('bl', '^bl_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"}]');
-- pg_temp.begin(name, bytes [, chunk size]): begin_load with the bytes' sha256 and size and, given
-- a chunk size, their chunk digest (as feeds load registers a file; without: an old caller).
CREATE FUNCTION pg_temp.begin(p_name text, p_bytes bytea, p_chunk_size integer DEFAULT NULL)
RETURNS TABLE (load_id bigint, staging_table text, copy_sql text, status text) LANGUAGE sql AS $$
    SELECT * FROM dba.begin_load('bl', p_name, encode(sha256(p_bytes), 'hex'), length(p_bytes),
                                 p_chunk_sha256 => CASE WHEN p_chunk_size IS NOT NULL THEN pg_temp.chunk_sha256(p_bytes, p_chunk_size) END,
                                 p_chunk_size => p_chunk_size) $$;
-- pg_temp.send(load, bytes, chunk size): the bytes into the load's chunk table in one statement,
-- one row per chunk_size bytes, as feeds load's COPY sends them.
CREATE FUNCTION pg_temp.send(p_load_id bigint, p_bytes bytea, p_chunk_size integer) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('INSERT INTO pg_temp.%I (chunk) SELECT substr($1, o, $2) FROM generate_series(1, length($1), $2) o ORDER BY o',
                   'load_' || p_load_id || '_c') USING p_bytes, p_chunk_size;
END $$;
CREATE TEMP TABLE b AS SELECT * FROM pg_temp.begin('bl_1.csv', convert_to(E'code,qty\r\na,1\r\nb,x\r\nc,3\n', 'UTF8'));
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
SELECT is((SELECT status FROM pg_temp.begin('bl_2.csv', convert_to(E'code,qty\r\na,1\r\nb,x\r\nc,3\n', 'UTF8'))), 'duplicate',
          'the same content again is a duplicate');
SELECT throws_ok($$SELECT * FROM dba.begin_load('bl', 'other.csv', repeat('b', 64), 1)$$, 'FD003', NULL, 'a name the job does not take is FD003');

CREATE TEMP TABLE d AS SELECT * FROM pg_temp.begin('bl_8.csv', convert_to(E'code,qty\nq,1\n', 'UTF8'));
SELECT staging_table FROM d \gset
INSERT INTO :staging_table (chunk) VALUES (convert_to(E'code,qty\nq,1\n', 'UTF8'));
SELECT is((SELECT message FROM dba.finish_load((SELECT load_id FROM d), p_dry_run => true)),
          'dry run: 1 rows would load, 0 rejected; nothing was changed', 'a dry run says nothing was changed, like run_import');

-- A clean client file loads in one pass over its staged lines, quotes and all.
CREATE TEMP TABLE q AS SELECT * FROM pg_temp.begin('bl_9.csv', convert_to(E'code,qty\n"r, s",1\nt,2\n', 'UTF8'));
SELECT staging_table FROM q \gset
INSERT INTO :staging_table (chunk) VALUES (convert_to(E'code,qty\n"r, s",1\nt,2\n', 'UTF8'));
SELECT is((SELECT (status, rows_read, rows_inserted)::text FROM dba.finish_load((SELECT load_id FROM q))), '(loaded,2,2)',
          'a clean client file loads');
SELECT is((SELECT load_path FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM q)), 'one_pass',
          'in one pass over the staged lines');

-- Bytes not in the job's encoding (UTF8): the COPY stages nothing, finish_load fails the load
-- at the line, as run_import fails a server file.
CREATE TEMP TABLE e AS SELECT * FROM pg_temp.begin('bl_10.csv', convert_to(E'code,qty\nok,1\ncaf\u00e9,2\n', 'LATIN1'));
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

-- The stream checked against the registration, before its lines are used. Registered with its
-- chunk digest over 4-byte chunks and sent so, a file loads, the digest kept.
CREATE TEMP TABLE k AS SELECT * FROM pg_temp.begin('bl_20.csv', convert_to(E'code,qty\nk1,1\nk2,2\n', 'UTF8'), 4);
SELECT is((SELECT (status, chunk_size, chunk_sha256) FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM k)),
          ('pending'::text, 4, pg_temp.chunk_sha256(convert_to(E'code,qty\nk1,1\nk2,2\n', 'UTF8'), 4)),
          'begin_load registers the chunk digest and its chunk size');
SELECT pg_temp.send((SELECT load_id FROM k), convert_to(E'code,qty\nk1,1\nk2,2\n', 'UTF8'), 4);
SELECT is((SELECT (status, rows_inserted)::text FROM dba.finish_load((SELECT load_id FROM k))), '(loaded,2)',
          'a stream that is the registered file loads');
-- A file that grew after its digests were read (still being appended to): FD016, nothing loaded.
CREATE TEMP TABLE g AS SELECT * FROM pg_temp.begin('bl_21.csv', convert_to(E'code,qty\ng1,1\n', 'UTF8'), 4);
SELECT pg_temp.send((SELECT load_id FROM g), convert_to(E'code,qty\ng1,1\ng2,2\n', 'UTF8'), 4);
SELECT is((SELECT (status, message)::text FROM dba.finish_load((SELECT load_id FROM g))),
          '(failed,"[FD016] bl_21.csv: the stream is not the file begin_load registered (19 bytes sent, 14 registered): it changed while it was sent; nothing of it was loaded")',
          'a stream longer than the registered size fails the load with FD016, naming the file');
SELECT is((SELECT count(*) FROM eng_fx.events WHERE code IN ('g1', 'g2')), 0::bigint, 'nothing of it is loaded');
SELECT is(to_regclass(format('pg_temp.load_%s_c', (SELECT load_id FROM g))), NULL, 'and its chunks are gone');
-- The same size, one byte changed; the right bytes in chunks of another size; an old caller
-- (no chunk digest) whose bytes are not its sha256's.
CREATE TEMP TABLE h AS SELECT * FROM pg_temp.begin('bl_22.csv', convert_to(E'code,qty\nh1,1\n', 'UTF8'), 4);
SELECT pg_temp.send((SELECT load_id FROM h), convert_to(E'code,qty\nh1,7\n', 'UTF8'), 4);
SELECT status FROM dba.finish_load((SELECT load_id FROM h)) \gset
SELECT is((SELECT error_message FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM h)),
          'bl_22.csv: the stream is not the file begin_load registered (its chunk digest differs from the one registered): it changed while it was sent; nothing of it was loaded',
          'a byte changed in the stream is FD016');
CREATE TEMP TABLE z AS SELECT * FROM pg_temp.begin('bl_23.csv', convert_to(E'code,qty\nz1,1\n', 'UTF8'), 4);
SELECT pg_temp.send((SELECT load_id FROM z), convert_to(E'code,qty\nz1,1\n', 'UTF8'), 5);
SELECT status FROM dba.finish_load((SELECT load_id FROM z)) \gset
SELECT is((SELECT (error_sqlstate, error_message)::text FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM z)),
          '(FD016,"bl_23.csv: the stream is not the file begin_load registered (its chunks are not the registered 4 bytes each): it changed while it was sent; nothing of it was loaded")',
          'the right bytes in chunks of another size than the registered one are FD016, and say so');
CREATE TEMP TABLE o AS SELECT * FROM pg_temp.begin('bl_24.csv', convert_to(E'code,qty\no1,1\n', 'UTF8'));
SELECT pg_temp.send((SELECT load_id FROM o), convert_to(E'code,qty\no1,2\n', 'UTF8'), 3);
SELECT status FROM dba.finish_load((SELECT load_id FROM o)) \gset
SELECT is((SELECT (error_sqlstate, error_message)::text FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM o)),
          '(FD016,"bl_24.csv: the stream is not the file begin_load registered (its sha256 differs from the one registered): it changed while it was sent; nothing of it was loaded")',
          'without a chunk digest the whole stream is checked against the sha256');
-- Exactly once by the digest the server checks: the same bytes under another sha256 are a duplicate.
CREATE TEMP TABLE k2 AS SELECT * FROM dba.begin_load('bl', 'bl_25.csv', repeat('9', 64), length(convert_to(E'code,qty\nk1,1\nk2,2\n', 'UTF8')),
                                                   p_chunk_sha256 => pg_temp.chunk_sha256(convert_to(E'code,qty\nk1,1\nk2,2\n', 'UTF8'), 4),
                                                   p_chunk_size => 4);
SELECT is((SELECT (status, duplicate_of)::text FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM k2)),
          format('(duplicate,%s)', (SELECT load_id FROM k)), 'the loaded bytes again with another sha256 are a duplicate of that load');

SELECT * FROM finish();
ROLLBACK;
