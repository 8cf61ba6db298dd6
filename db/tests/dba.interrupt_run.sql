-- dba.interrupt_run(): a run stopped by Ctrl-C or SIGTERM is recorded as interrupted.
BEGIN;
SELECT plan(5);

CREATE TEMP TABLE run AS SELECT dba.start_run('pgtap') AS run_uuid;
GRANT SELECT ON run TO feeds_etl;
SET LOCAL ROLE feeds_etl;
SELECT lives_ok($$SELECT dba.interrupt_run((SELECT run_uuid FROM run), 'SIGTERM after 3 of 11 events')$$,
                'feeds_etl records an interrupted run');
RESET ROLE;
SELECT ok((SELECT interrupted_at IS NOT NULL AND finished_at = interrupted_at FROM dba.trun WHERE run_uuid = (SELECT run_uuid FROM run)),
          'interrupted_at is set, and finished_at is the same moment');
SELECT is((SELECT level || ': ' || message FROM dba.tlogentry WHERE run_uuid = (SELECT run_uuid FROM run) ORDER BY log_id DESC LIMIT 1),
          'warning: run interrupted: SIGTERM after 3 of 11 events', 'the reason is logged');
SELECT ok((SELECT interrupted_at IS NULL FROM dba.finish_run(dba.start_run('pgtap'))), 'a finished run is not interrupted');
SELECT throws_ok($$SELECT dba.interrupt_run('00000000-0000-0000-0000-000000000000')$$, 'FD001', NULL, 'an unknown run is FD001');

SELECT * FROM finish();
ROLLBACK;
