-- dba.fail_client_load(): a client's refused stream is a failed load with its reason, never left pending.
BEGIN;
SELECT plan(7);
\ir fixtures/engine.psql

SELECT pg_temp.job('fcl', '^fcl_\d+\.csv$', '[{"source":"code","target":"code"}]');
CREATE TEMP TABLE b AS SELECT * FROM dba.begin_load('fcl', 'fcl_1.csv', repeat('b', 64), 20);
SELECT pg_temp.deliver('fcl_2.csv', E'code\nx\n');
CREATE TEMP TABLE s AS SELECT load_id FROM dba.tdataloads WHERE job_name = 'fcl' AND way_in = 'server';
GRANT SELECT ON b, s TO feeds_etl;

SET LOCAL ROLE feeds_etl;
SELECT throws_ok(format('SELECT dba.fail_client_load(%s, %L)', (SELECT load_id FROM b), ' '), '22023', NULL,
                 'a reason is required');
SELECT throws_ok(format('SELECT dba.fail_client_load(%s, %L)', (SELECT load_id FROM s), 'no'), 'FD041', NULL,
                 'a server load does not qualify');
SELECT throws_ok('SELECT dba.fail_client_load(-1, ''no'')', 'FD001', NULL, 'nor a load that does not exist');
SELECT lives_ok(format('SELECT dba.fail_client_load(%s, %L)', (SELECT load_id FROM b),
                       'fcl_1.csv line 2: the server refused the stream'), 'feeds_etl records the refusal');
RESET ROLE;
SELECT is((SELECT (status, error_sqlstate, error_message)::text FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM b)),
          '(failed,FD013,"fcl_1.csv line 2: the server refused the stream")', 'the load is failed with the reason');
SELECT is(to_regclass(format('stage.load_%s', (SELECT load_id FROM b))), NULL, 'its staging table is gone');
SET LOCAL ROLE feeds_etl;
SELECT throws_ok(format('SELECT dba.fail_client_load(%s, %L)', (SELECT load_id FROM b), 'again'), 'FD041', NULL,
                 'a failed load is not failed twice');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
