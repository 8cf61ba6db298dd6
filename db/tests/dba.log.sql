-- dba.log(), dba.start_run(), dba.finish_run(): step counters, runtimes, idempotent replay.
BEGIN;
SELECT plan(14);

CREATE TEMP TABLE t_run AS SELECT dba.start_run('pgtap') AS run_uuid;
GRANT SELECT ON t_run TO feeds_etl, feeds_reader;

SELECT is((SELECT step_counter FROM dba.tlogentry WHERE run_uuid = (SELECT run_uuid FROM t_run)),
          1, 'start_run logs step 1');
SELECT is((SELECT process_type FROM dba.trun WHERE run_uuid = (SELECT run_uuid FROM t_run)),
          'pgtap', 'the run is recorded with its process type');

SELECT pg_sleep(0.05);
SELECT is((dba.log(p_run_uuid => (SELECT run_uuid FROM t_run), p_process_type => 'pgtap',
                   p_message => 'two')).step_counter, 2, 'the next log line is step 2');
SELECT ok((SELECT step_runtime >= interval '40 milliseconds' FROM dba.tlogentry
            WHERE run_uuid = (SELECT run_uuid FROM t_run) AND step_counter = 2),
          'step runtime is the time since the previous step');
SELECT ok((SELECT total_runtime >= step_runtime FROM dba.tlogentry
            WHERE run_uuid = (SELECT run_uuid FROM t_run) AND step_counter = 2),
          'total runtime covers the step runtime');

-- A different run counts from 1 again.
SELECT is((dba.log(p_run_uuid => gen_random_uuid(), p_process_type => 'pgtap', p_message => 'x')).step_counter,
          1, 'step counters are per run');

-- Replay with an entry uuid is idempotent.
SELECT dba.log(p_run_uuid => (SELECT run_uuid FROM t_run), p_process_type => 'shim', p_message => 'replayed',
               p_logged_at => now() - interval '1 hour',
               p_entry_uuid => '00000000-0000-0000-0000-000000000001');
SELECT dba.log(p_run_uuid => (SELECT run_uuid FROM t_run), p_process_type => 'shim', p_message => 'replayed',
               p_logged_at => now() - interval '1 hour',
               p_entry_uuid => '00000000-0000-0000-0000-000000000001');
SELECT is((SELECT count(*) FROM dba.tlogentry WHERE entry_uuid = '00000000-0000-0000-0000-000000000001'),
          1::bigint, 'a replayed line is stored once');
SELECT ok((SELECT replayed FROM dba.tlogentry WHERE entry_uuid = '00000000-0000-0000-0000-000000000001'),
          'a replayed line is marked as replayed');

SELECT throws_ok($$SELECT dba.log(NULL, 'x', 'y')$$, '22004', NULL, 'a run uuid is required');
SELECT throws_ok($$SELECT dba.log(gen_random_uuid(), 'x', 'y', 'loud')$$, '22023', NULL, 'unknown levels are refused');
SELECT throws_ok($$SELECT dba.finish_run(gen_random_uuid())$$, 'FD001', NULL, 'finishing an unknown run is FD001');
SELECT isnt((dba.finish_run((SELECT run_uuid FROM t_run))).finished_at, NULL, 'finish_run sets finished_at');

-- Privileges both ways.
SET LOCAL ROLE feeds_etl;
SELECT lives_ok($$SELECT dba.log((SELECT run_uuid FROM t_run), 'pgtap', 'as etl')$$, 'feeds_etl may log');
RESET ROLE;
SET LOCAL ROLE feeds_reader;
SELECT throws_ok($$SELECT dba.log((SELECT run_uuid FROM t_run), 'pgtap', 'as reader')$$, '42501', NULL,
                 'feeds_reader may not log');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
