-- dba.files_to_move(): target names that fit NAME_MAX, the leftover rule; dba.fail_changed_load().
BEGIN;
SELECT plan(14);
\ir fixtures/engine.psql

SELECT pg_temp.job('ftm', '^ftm_.*\.csv$', '[{"source":"code","target":"code"}]');
CREATE TEMP TABLE names AS
SELECT 'ftm_ok.csv' AS n, E'code\na\n' AS body
UNION ALL SELECT 'ftm_' || repeat('l', 246) || '.csv', E'code\nb\n'           -- 254 bytes, loads
UNION ALL SELECT 'ftm_' || repeat('f', 246) || '.csv', E'wrong\nc\n'          -- 254 bytes, fails
UNION ALL SELECT 'ftm_' || repeat('é', 120) || '.csv', E'code\nd\n';          -- 248 bytes, 128 characters
SELECT pg_temp.deliver(n, body) FROM names;
CREATE TEMP TABLE run AS SELECT dba.start_run('feeds_run') AS id;
CREATE TEMP TABLE ri AS SELECT * FROM dba.run_import(p_run_uuid => (SELECT id FROM run));
GRANT SELECT ON ri TO feeds_etl;
CREATE TEMP TABLE mv AS SELECT * FROM dba.files_to_move((SELECT id FROM run));

SELECT is((SELECT count(*) FROM mv), 4::bigint, 'every file of the run is listed');
SELECT is((SELECT to_name FROM mv WHERE from_path ~ 'ftm_ok\.csv$'),
          to_char(now(), 'YYYYMMDD-') || (SELECT load_id FROM ri WHERE file_name = 'ftm_ok.csv') || '-ftm_ok.csv.zip',
          'an archive is named <date>-<load id>-<name>.zip');
SELECT ok((SELECT bool_and(octet_length(to_name) <= 255) FROM mv WHERE status <> 'failed'), 'archive names fit NAME_MAX');
SELECT ok((SELECT bool_and(octet_length(to_name || '.reason.txt') <= 255 AND octet_length(load_id || '-' || to_name) <= 244) FROM mv WHERE status = 'failed'),
          'a failed name fits with its .reason.txt and with the load id in front');
SELECT matches((SELECT to_name FROM mv WHERE status = 'failed'), '^\d+-ftm_f+~\.csv$',
               'a long failed name is cut, marked with ~, keeps its extension and gets the load id in front');
SELECT matches((SELECT to_name FROM mv WHERE from_path ~ 'é'), '~\.csv\.zip$', 'names are measured in bytes, not characters');
SELECT is((SELECT sha256 FROM mv WHERE from_path ~ 'ftm_ok\.csv$'), encode(sha256(E'code\na\n'::bytea), 'hex'),
          'the sha256 the load read comes along');

-- leftovers: a load of an earlier feeds run is listed only with p_include_leftovers
CREATE TEMP TABLE run2 AS SELECT dba.start_run('feeds_run') AS id;
SELECT is((SELECT count(*) FROM dba.files_to_move((SELECT id FROM run2))), 0::bigint, 'a new run has nothing of its own');
SELECT is((SELECT count(*) FROM dba.files_to_move((SELECT id FROM run2), p_include_leftovers => true)), 4::bigint,
          'with leftovers it moves what the killed run left');
UPDATE dba.trun SET process_type = 'visitas' WHERE run_uuid = (SELECT id FROM run);
SELECT is((SELECT count(*) FROM dba.files_to_move((SELECT id FROM run2), p_include_leftovers => true)), 0::bigint,
          'never the files of another program''s run');

-- a file that changed after it was read
SET LOCAL ROLE feeds_etl;
SELECT is(dba.fail_changed_load((SELECT load_id FROM ri WHERE file_name = 'ftm_ok.csv'), 'it grew from 7 to 9 bytes'),
          current_setting('feeds.test_dir') || '/inbox/ftm_ok.csv', 'feeds_etl fails a changed load and learns where the file goes back');
RESET ROLE;
SELECT row_eq($$SELECT status, error_sqlstate, (SELECT count(*) FROM eng_fx.events e WHERE e.load_id = d.load_id)
                  FROM dba.tdataloads d WHERE load_id = (SELECT load_id FROM ri WHERE file_name = 'ftm_ok.csv')$$,
              ROW('failed'::text, 'FD014'::text, 0::bigint), 'the load is failed (FD014) and its rows are gone');

SELECT throws_ok(format('SET LOCAL ROLE feeds_reader; SELECT dba.fail_changed_load(%s, %L)',
                        (SELECT load_id FROM ri WHERE file_name = 'ftm_ok.csv'), 'x'), '42501', NULL,
                 'feeds_reader may not fail a load');
RESET ROLE;
SELECT throws_ok(format('SELECT dba.fail_changed_load(%s, %L)', (SELECT load_id FROM ri WHERE file_name = 'ftm_ok.csv'), 'again'),
                 'FD041', NULL, 'a load already failed and put back is not failed again');

SELECT * FROM finish();
ROLLBACK;
