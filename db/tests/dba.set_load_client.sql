-- dba.watched_inboxes(), dba.client_of_inbox(), dba.set_load_client(): client upload directories
-- as inboxes, and the client recorded with each load.
BEGIN;
SELECT plan(11);
\ir fixtures/engine.psql

SELECT pg_temp.job('cl_a', '^cl_a_\d+\.csv$', '[{"source":"code","target":"code"}]');
SELECT pg_temp.job('cl_b', '^cl_b_\d+\.csv$', '[{"source":"code","target":"code"}]');
INSERT INTO dba.tclient (client_name, job_name, inbox_dir) VALUES
    ('acme', 'cl_a', '/srv/sftp/acme/upload'), ('anyco', NULL, '/srv/sftp/anyco/upload');

SET LOCAL ROLE feeds_etl;
SELECT ok(EXISTS (SELECT 1 FROM dba.watched_inboxes() WHERE inbox_dir = current_setting('feeds.test_dir') || '/inbox'
                  AND client_name IS NULL), 'a job''s inbox is watched');
SELECT set_has($$SELECT inbox_dir, client_name FROM dba.watched_inboxes()$$,
               $$VALUES ('/srv/sftp/acme/upload', 'acme'), ('/srv/sftp/anyco/upload', 'anyco')$$,
               'so is every client''s upload directory, with its client');
SELECT is(dba.client_of_inbox('/srv/sftp/acme/upload', 'cl_a'), 'acme', 'acme delivers for its job');
SELECT is(dba.client_of_inbox('/srv/sftp/acme/upload', 'cl_b'), NULL, 'but not for another job');
SELECT is(dba.client_of_inbox('/srv/sftp/anyco/upload', 'cl_b'), 'anyco', 'a client without a job delivers for any');
RESET ROLE;

UPDATE dba.timportconfig SET enabled = false WHERE job_name = 'cl_a';
SELECT ok(NOT EXISTS (SELECT 1 FROM dba.watched_inboxes() WHERE client_name = 'acme'),
          'a client of a disabled job is not watched');
UPDATE dba.timportconfig SET enabled = true WHERE job_name = 'cl_a';

CREATE TEMP TABLE reg AS
SELECT * FROM dba.register_file('cl_a', 'cl_a_1.csv', encode(sha256(E'code\na\n'::bytea), 'hex'), 7);
GRANT SELECT ON reg TO feeds_etl;
SET LOCAL ROLE feeds_etl;
SELECT lives_ok(format($$SELECT dba.set_load_client(%s, 'acme')$$, (SELECT load_id FROM reg)),
                'feeds_etl records the client of a load');
SELECT lives_ok(format($$SELECT dba.set_load_client(%s, 'acme')$$, (SELECT load_id FROM reg)),
                'again with the same client: nothing changes');
SELECT throws_ok(format($$SELECT dba.set_load_client(%s, 'anyco')$$, (SELECT load_id FROM reg)), 'FD091', NULL,
                 'a load keeps its first client');
RESET ROLE;
SELECT is((SELECT client_name FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM reg)), 'acme',
          'the load carries the client name');
SELECT throws_ok($$INSERT INTO dba.tclient (client_name, inbox_dir) VALUES ('Bad Name', '/x')$$, '23514', NULL,
                 'a client name is a valid account name');

SELECT * FROM finish();
ROLLBACK;
