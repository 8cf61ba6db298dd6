-- dba.mark_moved(): only a load that can move, only into its job's archive or failed directory.
BEGIN;
SELECT plan(9);
\ir fixtures/engine.psql

SELECT pg_temp.job('mm', '^mm_\d+\.csv$', '[{"source":"code","target":"code"}]');
CREATE TEMP TABLE l (status text, load_id bigint);
WITH i AS (INSERT INTO dba.tdataloads (config_id, job_name, file_name, file_path, status)
           SELECT c.config_id, 'mm', 'mm_' || s.status || '.csv', c.processing_dir || '/mm_' || s.status || '.csv', s.status
             FROM dba.timportconfig c, (VALUES ('loaded'), ('failed'), ('pending')) s(status)
            WHERE c.job_name = 'mm'
        RETURNING status, load_id)
INSERT INTO l SELECT * FROM i;
GRANT SELECT ON l TO feeds_etl;
CREATE TEMP VIEW dirs AS SELECT archive_dir AS a, failed_dir AS f FROM dba.timportconfig WHERE job_name = 'mm';
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
SELECT lives_ok(format('SELECT dba.mark_moved(%s, %L)', (SELECT load_id FROM l WHERE status = 'failed'),
                       (SELECT f FROM dirs) || '/mm_failed.csv'), 'a failed file into its failed directory');
RESET ROLE;
SELECT is((SELECT file_location FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM l WHERE status = 'failed')),
          (SELECT f FROM dirs) || '/mm_failed.csv', 'the location is recorded');

SELECT * FROM finish();
ROLLBACK;
