-- dba.match_config(): which job takes a file name; ties, priority, disabled jobs, hostile names.
BEGIN;
SELECT plan(12);
\ir fixtures/engine.psql

SELECT pg_temp.job('mc_alpha', '^alpha_\d+\.csv$', '[{"source":"code","target":"code"}]');
SELECT pg_temp.job('mc_any', '^.*\.csv$', '[{"source":"code","target":"code"}]');
UPDATE dba.timportconfig SET priority = 200 WHERE job_name = 'mc_any';

SELECT is((SELECT job_name FROM dba.match_config('alpha_1.csv')), 'mc_alpha', 'the lower priority number wins');
SELECT is((SELECT job_name FROM dba.match_config('other.csv')), 'mc_any', 'a catch-all job takes the rest');
SELECT is((SELECT count(*) FROM dba.match_config('other.txt')), 0::bigint, 'no job: no row');
SELECT is((SELECT count(*) FROM dba.match_config('xalpha_1.csv.bak')), 0::bigint, 'patterns are anchored');

UPDATE dba.timportconfig SET priority = 100 WHERE job_name = 'mc_any';
SELECT throws_like($$SELECT * FROM dba.match_config('alpha_1.csv')$$,
                   '%matches two jobs of priority 100: mc_alpha and mc_any%', 'a tie names both jobs');
SELECT throws_ok($$SELECT * FROM dba.match_config('alpha_1.csv')$$, 'FD002', NULL, 'a tie is FD002');
UPDATE dba.timportconfig SET enabled = false WHERE job_name = 'mc_any';
SELECT is((SELECT job_name FROM dba.match_config('alpha_1.csv')), 'mc_alpha', 'disabled jobs match nothing');

SELECT throws_ok($$SELECT * FROM dba.match_config('../alpha_1.csv')$$, 'FD011', NULL, 'a path is refused');
SELECT throws_ok($$SELECT * FROM dba.match_config('.alpha_1.csv')$$, 'FD011', NULL, 'a dot-file is refused');
SELECT throws_ok($$SELECT * FROM dba.match_config(E'alpha_1\n.csv')$$, 'FD011', NULL, 'control characters are refused');

SET LOCAL ROLE feeds_etl;
SELECT is((SELECT job_name FROM dba.match_config('alpha_2.csv')), 'mc_alpha', 'feeds_etl may ask');
RESET ROLE;
SET LOCAL ROLE feeds_reader;
SELECT throws_ok($$SELECT * FROM dba.match_config('alpha_2.csv')$$, '42501', NULL, 'feeds_reader may not');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
