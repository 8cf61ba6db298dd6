-- visitas.files_to_archive(): dba.files_to_move() for the files in the job's processing directory.
BEGIN;
SELECT plan(3);

INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,
                               target_table, column_map, load_mode)
VALUES ('fta_a', '^fta_a_\d+\.txt$', '/tmp/fta/a/in', '/tmp/fta/a/proc', '/tmp/fta/a/arch', '/tmp/fta/a/fail',
        'visitas.statistics', '[{"source": "email", "target": "email"}]', 'append'),
       ('fta_b', '^fta_b_\d+\.txt$', '/tmp/fta/a/in', '/tmp/fta/a/proc2', '/tmp/fta/b/arch', '/tmp/fta/b/fail',
        'visitas.statistics', '[{"source": "email", "target": "email"}]', 'append');
CREATE TEMP TABLE run AS SELECT dba.start_run('pgtap') AS run_uuid;
INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, file_path, sha256, status)
SELECT (SELECT run_uuid FROM run), c.config_id, c.job_name, v.name, v.path, encode(sha256(v.name::bytea), 'hex'), v.status
  FROM (VALUES ('fta_a', 'fta_a_1.txt', '/tmp/fta/a/proc/fta_a_1.txt', 'loaded'),
               ('fta_a', 'fta_a_2.txt', '/tmp/fta/a/proc/fta_a_2.txt', 'failed'),
               ('fta_b', 'fta_b_1.txt', '/tmp/fta/a/proc2/fta_b_1.txt', 'loaded')) v(job, name, path, status)
  JOIN dba.timportconfig c ON c.job_name = v.job;

SET LOCAL ROLE feeds_etl;
SELECT results_eq($$SELECT from_path, status, to_dir FROM visitas.files_to_archive('fta_a') ORDER BY from_path$$,
                  $$VALUES ('/tmp/fta/a/proc/fta_a_1.txt', 'loaded', '/tmp/fta/a/arch'),
                           ('/tmp/fta/a/proc/fta_a_2.txt', 'failed', '/tmp/fta/a/fail')$$,
                  'the files in the job''s processing directory, to its archive or failed directory');
SELECT is((SELECT count(*) FROM visitas.files_to_archive('fta_a') WHERE from_path LIKE '/tmp/fta/a/proc2/%'), 0::bigint,
          'not those of a directory whose name only starts the same');
SELECT is((SELECT count(*) FROM visitas.files_to_archive('no such job')), 0::bigint, 'an unknown job has none');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
