-- Exactly once by what the job loads: the content (sha256) and the values the column map takes
-- from the file name (dba._register_load, dba._file_name_values).
BEGIN;
SELECT plan(10);
\ir fixtures/engine.psql

SELECT pg_temp.job('rl', '^rl_\d+_\d+\.csv$',
                   '[{"target":"note","from_file_name":"^rl_\\d+_(\\d+)\\.csv$"},{"source":"code","target":"code"}]');
SELECT pg_temp.job('rl_plain', '^rlp_\d+\.csv$', '[{"source":"code","target":"code"}]');

SELECT is(dba._file_name_values(c, 'rl_1_200005.csv'), '{"note": "200005"}'::jsonb,
          'the values taken from a file name, by target column')
  FROM dba.timportconfig c WHERE job_name = 'rl';
SELECT is(dba._file_name_values(c, 'rlp_1.csv'), '{}'::jsonb, 'a job that takes nothing from the name: {}')
  FROM dba.timportconfig c WHERE job_name = 'rl_plain';

-- The same list for event 200005 and event 200007: two loads.
SELECT pg_temp.deliver('rl_1_200005.csv', E'code\nalpha\nbeta\n');
SELECT pg_temp.deliver('rl_1_200007.csv', E'code\nalpha\nbeta\n');
CREATE TEMP TABLE r1 AS SELECT * FROM dba.run_import(p_job => 'rl');
SELECT results_eq($$SELECT file_name, status FROM r1 ORDER BY file_name$$,
                  $$VALUES ('rl_1_200005.csv', 'loaded'), ('rl_1_200007.csv', 'loaded')$$,
                  'the same content under two event ids is two loads');
SELECT results_eq($$SELECT note, count(*) FROM eng_fx.events WHERE code IN ('alpha', 'beta') GROUP BY note ORDER BY note$$,
                  $$VALUES ('200005', 2::bigint), ('200007', 2::bigint)$$, 'both events have their companies');
SELECT results_eq($$SELECT d.file_name_values FROM dba.tdataloads d JOIN r1 USING (load_id) ORDER BY d.file_name$$,
                  $$VALUES ('{"note": "200005"}'::jsonb), ('{"note": "200007"}'::jsonb)$$,
                  'each load records the values it took from its name');

-- The same content for the same event again (a later download): a duplicate of the first.
SELECT pg_temp.deliver('rl_2_200005.csv', E'code\nalpha\nbeta\n');
CREATE TEMP TABLE r2 AS SELECT * FROM dba.tdataloads WHERE file_name = 'rl_2_200005.csv';  -- as registered
SELECT is((SELECT status FROM r2), 'duplicate', 'the same content for the same event is a duplicate');
SELECT is((SELECT duplicate_of FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM r2)),
          (SELECT load_id FROM r1 WHERE file_name = 'rl_1_200005.csv'), 'it names the load of that event');
SELECT matches((SELECT error_message FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM r2)),
               'same content as load \d+ \(and the same \{"note": "200005"\} from the file name\)',
               'and says what made it the same');

-- A job that takes nothing from the name: the same content under another name stays a duplicate.
SELECT pg_temp.deliver('rlp_1.csv', E'code\ngamma\n');
SELECT pg_temp.deliver('rlp_2.csv', E'code\ngamma\n');
CREATE TEMP TABLE r3 AS SELECT * FROM dba.run_import(p_job => 'rl_plain');
SELECT results_eq($$SELECT file_name, status FROM dba.tdataloads WHERE job_name = 'rl_plain' ORDER BY file_name$$,
                  $$VALUES ('rlp_1.csv', 'loaded'), ('rlp_2.csv', 'duplicate')$$,
                  'without values from the name, exactly once by content as before');

-- The index enforces it for concurrent registrations too.
SELECT throws_ok($$INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, sha256, file_name_values, status)
                   SELECT run_uuid, config_id, job_name, 'rl_3_200007.csv', sha256, file_name_values, 'pending'
                     FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM r1 WHERE file_name = 'rl_1_200007.csv')$$,
                 '23505', NULL, 'a second live load of the same content and values is refused by the unique index');

SELECT * FROM finish();
ROLLBACK;
