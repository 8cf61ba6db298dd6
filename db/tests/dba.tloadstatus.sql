-- dba.tloadstatus: the one list of load statuses; dba.tdataloads.status must be one of them.
BEGIN;
SELECT plan(12);
\ir fixtures/engine.psql

SELECT has_table('dba', 'tloadstatus', 'dba.tloadstatus exists');
SELECT columns_are('dba', 'tloadstatus', ARRAY['status', 'is_loaded', 'is_live', 'is_final', 'description', 'is_failed', 'log_level']);
SELECT fk_ok('dba', 'tdataloads', 'status', 'dba', 'tloadstatus', 'status');
SELECT results_eq($$SELECT status FROM dba.tloadstatus WHERE is_loaded ORDER BY status$$,
                  ARRAY['loaded', 'loaded_with_rejects'], 'loaded means loaded or loaded_with_rejects');
-- is_live is the predicate of the exactly-once index
SELECT results_eq($$SELECT status FROM dba.tloadstatus WHERE is_live ORDER BY status$$,
                  $$SELECT unnest(regexp_match(pg_get_indexdef('dba.tdataloads_config_sha256_key'::regclass),
                                               '''(\w+)''::text, ''(\w+)''::text, ''(\w+)''::text')) ORDER BY 1$$,
                  'is_live names exactly the statuses of tdataloads_config_sha256_key');
-- what the shims do with a load, by status (no shim spells one out)
SELECT results_eq($$SELECT status FROM dba.tloadstatus WHERE is_failed$$, ARRAY['failed'],
                  'only failed is quarantined (and makes a shim exit 1)');
SELECT results_eq($$SELECT status, log_level FROM dba.tloadstatus ORDER BY status$$,
                  $$VALUES ('duplicate', 'info'), ('failed', 'error'), ('loaded', 'info'),
                           ('loaded_with_rejects', 'warning'), ('pending', 'warning'), ('undone', 'warning')$$,
                  'the log level of each status');
SELECT throws_ok($$UPDATE dba.tloadstatus SET log_level = 'loud' WHERE status = 'loaded'$$, '23514', NULL,
                 'a log level dba.log() does not know is refused');

SELECT pg_temp.job('ls_job', '^ls_\d+\.csv$', '[{"source":"code","target":"code"}]');
SELECT throws_ok($$INSERT INTO dba.tdataloads (config_id, job_name, file_name, status)
                   SELECT config_id, job_name, 'ls_1.csv', 'half_loaded' FROM dba.timportconfig WHERE job_name = 'ls_job'$$,
                 '23503', NULL, 'a status outside the lookup is refused');

SET LOCAL ROLE feeds_etl;
SELECT is((SELECT count(*) FROM dba.tloadstatus), 6::bigint, 'feeds_etl may read the statuses');
SELECT throws_ok($$INSERT INTO dba.tloadstatus VALUES ('x', false, false, false, 'x', false, 'info')$$, '42501', NULL,
                 'feeds_etl may not add one');
RESET ROLE;
SET LOCAL ROLE feeds_reader;
SELECT is((SELECT count(*) FROM dba.tloadstatus WHERE is_final), 5::bigint, 'feeds_reader may read them');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
