-- dba.load_errors_csv(): the rejected rows of a load as CSV a spreadsheet cannot run.
BEGIN;
SELECT plan(5);
\ir fixtures/engine.psql

SELECT pg_temp.job('lec', '^lec_\d+\.csv$', '[{"source":"code","target":"code","type":"integer"}]');
SELECT pg_temp.deliver('lec_1.csv', E'code\n=cmd|x!A1\n@evil\n7\n');
CREATE TEMP TABLE ri AS SELECT * FROM dba.run_import(p_job => 'lec');
GRANT SELECT ON ri TO feeds_reader;

SELECT is((SELECT status FROM ri), 'loaded_with_rejects', 'two rows are rejected');
SET LOCAL ROLE feeds_reader;
CREATE TEMP TABLE c AS SELECT dba.load_errors_csv((SELECT load_id FROM ri)) AS csv;
RESET ROLE;
SELECT is(split_part((SELECT csv FROM c), E'\r\n', 1), 'line,column,value,rule,message,raw_line', 'a header line');
SELECT matches(split_part((SELECT csv FROM c), E'\r\n', 2), '^2,"code","''=cmd\|x!A1",', 'a formula value gets an apostrophe');
SELECT matches(split_part((SELECT csv FROM c), E'\r\n', 3), '^3,"code","''@evil",', 'so does @');
SELECT throws_ok('SELECT dba.load_errors_csv(-1)', 'FD001', NULL, 'an unknown load is FD001');

SELECT * FROM finish();
ROLLBACK;
