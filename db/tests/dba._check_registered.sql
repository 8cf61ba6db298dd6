-- dba._check_registered(): the file in processing checked against its registration one chunk at
-- a time (dba.tdataloads.chunk_sha256), with chunks of a few bytes so that a file has several:
-- a change in any chunk, a quote in the last chunk or across chunks, an empty file, one chunk,
-- a registration without a chunk digest, what register_file accepts, and exactly once by the
-- chunk digest (the digest the server verifies), whatever sha256 a registration gives.
BEGIN;
SELECT plan(34);
\ir fixtures/engine.psql

SELECT pg_temp.job('cr', '^cr_[a-z0-9]+\.csv$', '[{"source":"code","target":"code"}]');
-- The check of one delivered file, as run_import makes it before staging.
CREATE FUNCTION pg_temp.check(p_name text, p_quote bytea DEFAULT NULL) RETURNS boolean LANGUAGE sql AS $$
    SELECT (dba._check_registered(d, p_quote)).quoted FROM dba.tdataloads d
     WHERE d.file_name = p_name AND d.status = 'pending' ORDER BY d.load_id DESC LIMIT 1 $$;
CREATE FUNCTION pg_temp.fd016(p_name text, p_why text) RETURNS text LANGUAGE sql AS $$
    SELECT format('%s: %s/%s is not the file feeds watch registered (before loading, %s): a link, a replaced file or one still being written; nothing of it was kept',
                  p_name, current_setting('feeds.test_dir'), p_name, p_why) $$;

-- Registered with 4-byte chunks: 'code' | E'\nsec' | 'ret1' | E'\n' (4 chunks, the last of 1 byte).
SELECT pg_temp.deliver('cr_many.csv', E'code\nsecret1\n', p_chunk_size => 4);
SELECT is((SELECT (chunk_size, chunk_sha256) FROM dba.tdataloads WHERE file_name = 'cr_many.csv'),
          (4, pg_temp.chunk_sha256(E'code\nsecret1\n'::bytea, 4)), 'the registration keeps the chunk digest and its chunk size');
SELECT is(pg_temp.check('cr_many.csv', '\x22'), false, 'an unchanged file of many chunks passes; it has no quote');
SELECT is(pg_temp.check('cr_many.csv', '\x31'), true, 'a quote only in the next-to-last chunk is seen');
SELECT is(pg_temp.check('cr_many.csv', '\x0a'), true, 'a quote that is the last byte of the file (its own last chunk) is seen');
SELECT pg_temp.write_file('cr_many.csv', E'code\nsEcret1\n');
SELECT throws_ok($$SELECT pg_temp.check('cr_many.csv')$$, 'FD016', pg_temp.fd016('cr_many.csv', 'its content differs from the one registered (its chunk digest)'),
                 'a file changed only in its second chunk is FD016, and the message holds nothing of the content');
SELECT pg_temp.write_file('cr_many.csv', E'code\nsecret1\r');
SELECT throws_ok($$SELECT pg_temp.check('cr_many.csv')$$, 'FD016', pg_temp.fd016('cr_many.csv', 'its content differs from the one registered (its chunk digest)'),
                 'a file changed only in its last byte (its last, short chunk) is FD016');
SELECT pg_temp.write_file('cr_many.csv', E'code\nsecret1\n');
SELECT is(pg_temp.check('cr_many.csv'), false, 'put back as it was, it passes again');
SELECT pg_temp.write_file('cr_many.csv', E'code\nsecret1\nX');
SELECT throws_ok($$SELECT pg_temp.check('cr_many.csv')$$, 'FD016', pg_temp.fd016('cr_many.csv', 'its size differs from the 13 bytes registered'),
                 'a file that grew is FD016');

-- A multi-byte quote across chunk boundaries: '€' is E2 82 AC.
SELECT pg_temp.deliver('cr_euro1.csv', E'abc€de', p_chunk_size => 4);   -- 'abc' E2 | 82 AC 'de'
SELECT is(pg_temp.check('cr_euro1.csv', '\xe282ac'), true, 'a quote split 1 + 2 bytes across two chunks is seen');
SELECT pg_temp.deliver('cr_euro2.csv', E'ab€de', p_chunk_size => 4);    -- 'ab' E2 82 | AC 'de'
SELECT is(pg_temp.check('cr_euro2.csv', '\xe282ac'), true, 'a quote split 2 + 1 bytes across two chunks is seen');
SELECT pg_temp.deliver('cr_euro3.csv', E'a€b', p_chunk_size => 1);      -- one byte a chunk
SELECT is(pg_temp.check('cr_euro3.csv', '\xe282ac'), true, 'a quote over three one-byte chunks is seen');
SELECT is(pg_temp.check('cr_euro3.csv', '\xe282ad'), false, 'bytes of the quote that are not the quote are not it');

-- An empty file; a file of exactly one chunk.
SELECT pg_temp.deliver('cr_empty.csv', '', p_chunk_size => 4);
SELECT is((SELECT chunk_sha256 FROM dba.tdataloads WHERE file_name = 'cr_empty.csv'), encode(sha256(''::bytea), 'hex'),
          'an empty file''s chunk digest is the sha256 of nothing');
SELECT is(pg_temp.check('cr_empty.csv', '\x22'), false, 'an empty file passes and has no quote');
SELECT pg_temp.deliver('cr_one.csv', 'co"e', p_chunk_size => 4);
SELECT is(pg_temp.check('cr_one.csv', '\x22'), true, 'a file of exactly one chunk passes, its quote seen');
SELECT pg_temp.write_file('cr_one.csv', 'co"E');
SELECT throws_ok($$SELECT pg_temp.check('cr_one.csv')$$, 'FD016', pg_temp.fd016('cr_one.csv', 'its content differs from the one registered (its chunk digest)'),
                 'a file of one chunk, changed, is FD016');

-- Registered without a chunk digest (an old caller, a registration by hand): checked against the
-- sha256 in one read, never loaded unchecked.
SELECT pg_temp.write_file('cr_plain.csv', E'code\nsecret3\n');
SELECT dba.register_file('cr', 'cr_plain.csv', encode(sha256(E'code\nsecret3\n'::bytea), 'hex'), 13);
SELECT is(pg_temp.check('cr_plain.csv', '\x33'), true, 'without a chunk digest the file is checked whole, its quote seen');
SELECT pg_temp.write_file('cr_plain.csv', E'code\nsecret4\n');
SELECT throws_ok($$SELECT pg_temp.check('cr_plain.csv')$$, 'FD016', pg_temp.fd016('cr_plain.csv', 'its sha256 differs from the one registered'),
                 'without a chunk digest a changed file is still FD016');
SELECT pg_temp.write_file('cr_big.csv', E'code\n');
SELECT dba.register_file('cr', 'cr_big.csv', encode(sha256(E'code\n'::bytea), 'hex'), 5);
UPDATE dba.tdataloads SET file_size = 1073741824 + 5 WHERE file_name = 'cr_big.csv';  -- as if it were over 1 GB
SELECT throws_ok($$SELECT pg_temp.check('cr_big.csv')$$, 'FD016',
                 pg_temp.fd016('cr_big.csv', 'it is over 1 GB and was registered without its chunk digest, so it cannot be checked'),
                 'without a chunk digest a file over 1 GB is refused');

-- Through dba.run_import: a file of many chunks loads; one changed in its last chunk only fails.
SELECT pg_temp.job('cr_ri', '^cr_ri_\d+\.csv$', '[{"source":"code","target":"code"}]');
SELECT pg_temp.deliver('cr_ri_1.csv', E'code\ncr_a\ncr_b\n', p_chunk_size => 3);
SELECT pg_temp.deliver('cr_ri_2.csv', E'code\ncr_c\ncr_d\n', p_chunk_size => 3);
SELECT pg_temp.write_file('cr_ri_2.csv', E'code\ncr_c\ncr_e\n');
SELECT results_eq($$SELECT file_name, status, left(message, 7) FROM dba.run_import(p_job => 'cr_ri') ORDER BY file_name$$,
                  $$VALUES ('cr_ri_1.csv', 'loaded', '2 read,'), ('cr_ri_2.csv', 'failed', '[FD016]')$$,
                  'run_import loads a file of many chunks and fails one changed in its last chunk');
SELECT is((SELECT array_agg(code ORDER BY code) FROM eng_fx.events WHERE code ~ '^cr_'), '{cr_a,cr_b}',
          'only the unchanged file''s rows are in');

-- What register_file accepts as a chunk digest.
SELECT throws_ok($$SELECT dba.register_file('cr', 'cr_x1.csv', repeat('a', 64), 5, p_chunk_sha256 => repeat('b', 64))$$,
                 '22023', NULL, 'a chunk digest without its chunk size is refused');
SELECT throws_ok($$SELECT dba.register_file('cr', 'cr_x2.csv', repeat('a', 64), 5, p_chunk_sha256 => 'xyz', p_chunk_size => 4)$$,
                 '22023', NULL, 'a malformed chunk digest is refused');
SELECT throws_ok($$SELECT dba.register_file('cr', 'cr_x3.csv', repeat('a', 64), 5, p_chunk_sha256 => repeat('b', 64), p_chunk_size => 67108865)$$,
                 '22023', NULL, 'a chunk over 64 MiB is refused (it is what the server holds at a time)');
SELECT throws_ok($$SELECT dba.register_file('cr', 'cr_x4.csv', repeat('a', 64), 2097153, p_chunk_sha256 => repeat('b', 64), p_chunk_size => 2)$$,
                 '22023', NULL, 'more than 1048576 chunks are refused');

-- A pending registration is never written over: the same path again with other digests is refused.
SELECT pg_temp.deliver('cr_re.csv', E'code\nre\n', p_chunk_size => 4);
SELECT throws_ok(format($$SELECT dba.register_file('cr', 'cr_re.csv', %L, 8, p_chunk_sha256 => %L, p_chunk_size => 4)$$,
                        encode(sha256(E'code\nre\n'::bytea), 'hex'), repeat('b', 64)),
                 '22023', format('''cr_re.csv'': %s/cr_re.csv is already registered, as load %s, with another chunk digest; a registration is never changed',
                                 current_setting('feeds.test_dir'), (SELECT load_id FROM dba.tdataloads WHERE file_name = 'cr_re.csv')),
                 'a re-registration of a pending file with another chunk digest is refused, naming the file');
SELECT throws_ok(format($$SELECT dba.register_file('cr', 'cr_re.csv', %L, 8, p_chunk_sha256 => %L, p_chunk_size => 4)$$,
                        repeat('c', 64), pg_temp.chunk_sha256(E'code\nre\n'::bytea, 4)),
                 '22023', NULL, 'and one with another sha256');
SELECT is((SELECT (count(*), min(chunk_sha256), min(sha256)) FROM dba.tdataloads WHERE file_name = 'cr_re.csv'),
          (1::bigint, pg_temp.chunk_sha256(E'code\nre\n'::bytea, 4), encode(sha256(E'code\nre\n'::bytea), 'hex')),
          'the registration keeps its digests');
SELECT is((SELECT (load_id, status)::text FROM dba.register_file('cr', 'cr_re.csv', encode(sha256(E'code\nre\n'::bytea), 'hex'), 8,
                                                                   p_chunk_sha256 => pg_temp.chunk_sha256(E'code\nre\n'::bytea, 4), p_chunk_size => 4)),
          format('(%s,pending)', (SELECT load_id FROM dba.tdataloads WHERE file_name = 'cr_re.csv')),
          'the same digests again are the same registration');

-- The bypass: the server verifies the chunk digest, so the same bytes under another made-up
-- sha256 are the same content: a duplicate, not a second load.
SELECT pg_temp.job('cr_by', '^cr_by_\d+\.csv$', '[{"source":"code","target":"code"}]');
SELECT pg_temp.write_file('cr_by_1.csv', E'code\ncr_by\n');
SELECT pg_temp.write_file('cr_by_2.csv', E'code\ncr_by\n');
SELECT is((SELECT status FROM dba.register_file('cr_by', 'cr_by_1.csv', repeat('1', 64), 11,
                                                 p_chunk_sha256 => pg_temp.chunk_sha256(E'code\ncr_by\n'::bytea, 4194304), p_chunk_size => 4194304)),
          'pending', 'a file registered with a made-up sha256 and its true chunk digest is pending');
SELECT is((SELECT status FROM dba.run_import(p_job => 'cr_by')), 'loaded', 'and loads (the server checks the chunk digest)');
SELECT is((SELECT (status, duplicate_of)::text FROM dba.register_file('cr_by', 'cr_by_2.csv', repeat('2', 64), 11,
                                                 p_chunk_sha256 => pg_temp.chunk_sha256(E'code\ncr_by\n'::bytea, 4194304), p_chunk_size => 4194304)),
          format('(duplicate,%s)', (SELECT load_id FROM dba.tdataloads WHERE file_name = 'cr_by_1.csv')),
          'the same bytes again under another made-up sha256 are a duplicate of that load');
SELECT is((SELECT count(*) FROM eng_fx.events WHERE code = 'cr_by'), 1::bigint, 'its rows are in once');
-- Two sessions at once: the unique index refuses a second live load of the same chunk digest.
SELECT throws_ok($$INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, sha256, chunk_sha256, chunk_size, status)
                   SELECT run_uuid, config_id, job_name, 'cr_by_3.csv', repeat('3', 64), chunk_sha256, chunk_size, 'pending'
                     FROM dba.tdataloads WHERE file_name = 'cr_by_1.csv'$$,
                 '23505', NULL, 'a second live load of the same chunk digest and chunk size is refused by the unique index');

SELECT * FROM finish();
ROLLBACK;
