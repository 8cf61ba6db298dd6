-- dba.mark_moved(): only a load that can move, only into its job's archive or failed directory
-- (or, for a file that was not the registered one, FD016, back to its inbox: dba._back_to_inbox).
BEGIN;
SELECT plan(14);
\ir fixtures/engine.psql

SELECT pg_temp.job('mm', '^mm_\d+\.csv$', '[{"source":"code","target":"code"}]');
CREATE TEMP TABLE l (status text, load_id bigint);
WITH i AS (INSERT INTO dba.tdataloads (config_id, job_name, file_name, file_path, status)
           SELECT c.config_id, 'mm', 'mm_' || s.status || '.csv', c.processing_dir || '/mm_' || s.status || '.csv', s.status
             FROM dba.timportconfig c, (VALUES ('loaded'), ('failed'), ('pending')) s(status)
            WHERE c.job_name = 'mm'
        RETURNING status, load_id)
INSERT INTO l SELECT * FROM i;
-- a file the engine found not to be the registered one (FD016): it goes back to the inbox
WITH i AS (INSERT INTO dba.tdataloads (config_id, job_name, file_name, file_path, status, error_sqlstate, error_message)
           SELECT c.config_id, 'mm', 'mm_7.csv', c.processing_dir || '/mm_7.csv', 'failed', 'FD016', 'not the registered file'
             FROM dba.timportconfig c WHERE c.job_name = 'mm'
        RETURNING 'changed', load_id)
INSERT INTO l SELECT * FROM i;
GRANT SELECT ON l TO feeds_etl;
CREATE TEMP VIEW dirs AS SELECT archive_dir AS a, failed_dir AS f, inbox_dir AS i FROM dba.timportconfig WHERE job_name = 'mm';
GRANT SELECT ON dirs TO feeds_etl;

SET LOCAL ROLE feeds_etl;
SELECT lives_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'loaded'),
                       (SELECT a FROM dirs) || '/20260101-1-mm_1.csv.zip'), 'a loaded file into its archive directory');
SELECT lives_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'loaded'),
                       (SELECT a FROM dirs) || '/20260101-1-mm_1.csv.zip'), 'the same place again (a retry) is fine');
SELECT throws_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'loaded'),
                        (SELECT a FROM dirs) || '/elsewhere.zip'), 'FD015', NULL, 'a moved load does not move again');
SELECT throws_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'failed'), '/etc/passwd'),
                 'FD015', NULL, 'a path outside the job''s directories is refused');
SELECT throws_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'failed'),
                        (SELECT a FROM dirs) || '/mm_failed.csv'), 'FD015', NULL, 'a failed load does not go to the archive');
SELECT throws_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'failed'),
                        (SELECT f FROM dirs) || '/../../etc/passwd'), 'FD015', NULL, 'nor out of it with ..');
SELECT throws_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'pending'),
                        (SELECT a FROM dirs) || '/mm_pending.csv.zip'), 'FD015', NULL, 'a pending load cannot move');
SELECT is((SELECT back_to FROM dba.files_to_move(NULL) WHERE load_id = (SELECT load_id FROM l WHERE status = 'changed')),
          (SELECT i FROM dirs) || '/mm_7.csv', 'files_to_move sends a file that was not the registered one back to its inbox');
SELECT is((SELECT count(back_to) FROM dba.files_to_move(NULL) WHERE load_id <> (SELECT load_id FROM l WHERE status = 'changed')),
          0::bigint, 'and no other file');
SELECT throws_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'failed'),
                        (SELECT i FROM dirs) || '/mm_failed.csv'), 'FD015', NULL, 'another failed load does not go back to the inbox');
SELECT throws_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'changed'),
                        (SELECT i FROM dirs) || '/other.csv'), 'FD015', NULL, 'nor under another name');
SELECT lives_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'changed'),
                       (SELECT i FROM dirs) || '/mm_7.csv'), 'the file that was not the registered one back into its inbox');
SELECT lives_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'failed'),
                       (SELECT f FROM dirs) || '/mm_failed.csv'), 'a failed file into its failed directory');
RESET ROLE;
SELECT is((SELECT file_location FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM l WHERE status = 'failed')),
          (SELECT f FROM dirs) || '/mm_failed.csv', 'the location is recorded');

SELECT * FROM finish();
ROLLBACK;
