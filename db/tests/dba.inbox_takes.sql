-- dba.inbox_takes(): whether the watcher takes a file of a job from an inbox (the other-inbox check).
BEGIN;
SELECT plan(9);
\ir fixtures/engine.psql

SELECT pg_temp.job('it_a', '^it_a_\d+\.csv$', '[{"source":"code","target":"code"}]');
UPDATE dba.timportconfig SET inbox_dir = '/srv/feeds/in/it_a/' WHERE job_name = 'it_a';
SELECT pg_temp.job('it_b', '^it_b_\d+\.csv$', '[{"source":"code","target":"code"}]');
UPDATE dba.timportconfig SET inbox_dir = '/srv/feeds/in/it_b' WHERE job_name = 'it_b';
INSERT INTO dba.tclient (client_name, job_name, inbox_dir) VALUES
    ('acme', 'it_a', '/srv/sftp/acme/upload'), ('anyco', NULL, '/srv/sftp/anyco/upload');

SET LOCAL ROLE feeds_etl;
SELECT results_eq($$SELECT * FROM dba.inbox_takes('it_a', '/srv/feeds/in/it_a', '/srv/feeds/in/it_a')$$,
                  $$VALUES (true, NULL::text, '/srv/feeds/in/it_a/'::text)$$,
                  'the job''s own inbox takes it (a trailing slash aside), no client');
SELECT results_eq($$SELECT * FROM dba.inbox_takes('it_a', '/srv/link_to_a', '/srv/feeds/in/it_a')$$,
                  $$VALUES (true, NULL::text, '/srv/feeds/in/it_a/'::text)$$,
                  'so does a symlink to it: the real path is the job''s inbox');
SELECT results_eq($$SELECT * FROM dba.inbox_takes('it_a', '/srv/feeds/in/it_b', '/srv/feeds/in/it_b')$$,
                  $$VALUES (false, NULL::text, '/srv/feeds/in/it_a/'::text)$$,
                  'another job''s inbox does not: the file stays, and job_inbox says where it belongs');
SELECT results_eq($$SELECT takes, client_name FROM dba.inbox_takes('it_a', '/srv/sftp/acme/upload', '/srv/sftp/acme/upload')$$,
                  $$VALUES (true, 'acme'::text)$$, 'a client''s upload directory takes the files of its job');
SELECT results_eq($$SELECT takes, client_name FROM dba.inbox_takes('it_b', '/srv/sftp/acme/upload', '/srv/sftp/acme/upload')$$,
                  $$VALUES (false, NULL::text)$$, 'but not those of another job');
SELECT results_eq($$SELECT takes, client_name FROM dba.inbox_takes('it_b', '/home/x/anyco', '/srv/sftp/anyco/upload')$$,
                  $$VALUES (true, 'anyco'::text)$$, 'a client without a job delivers for any, found by the real path');
SELECT results_eq($$SELECT takes FROM dba.inbox_takes('it_a', '/tmp/elsewhere', NULL)$$,
                  $$VALUES (false)$$, 'without a real path, the path as given decides');
SELECT is_empty($$SELECT * FROM dba.inbox_takes('no_such_job', '/srv/feeds/in/it_a', '/srv/feeds/in/it_a')$$,
                'no row for an unknown job');
RESET ROLE;

SET LOCAL ROLE feeds_reader;
SELECT throws_ok($$SELECT * FROM dba.inbox_takes('it_a', '/x', '/x')$$, '42501', NULL, 'feeds_reader may not ask');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
