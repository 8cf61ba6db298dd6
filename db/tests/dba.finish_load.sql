-- dba.finish_load() drops the client's chunk table whatever became of the file: a dry run (whose
-- own DROP rolls back with it) and a load the re-send policy refuses before staging.
BEGIN;
SELECT plan(10);
\ir fixtures/engine.psql

SELECT pg_temp.job('fl', '^fl_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"}]');
-- pg_temp.send(name, content [, sent]): begin_load with the content's sha256 and size, then the
-- COPY of what is sent (the content, or other bytes: a file that changed in between).
CREATE FUNCTION pg_temp.send(p_name text, p_content text, p_sent text DEFAULT NULL) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_b record;
BEGIN
    SELECT * INTO v_b FROM dba.begin_load('fl', p_name, encode(sha256(convert_to(p_content, 'UTF8')), 'hex'),
                                          octet_length(convert_to(p_content, 'UTF8')));
    EXECUTE format('INSERT INTO %s (chunk) VALUES ($1)', v_b.staging_table) USING convert_to(coalesce(p_sent, p_content), 'UTF8');
    RETURN v_b.load_id;
END $$;
CREATE FUNCTION pg_temp.chunks_left(p_load bigint) RETURNS regclass LANGUAGE sql AS $$
    SELECT to_regclass(format('pg_temp.load_%s_c', p_load)) $$;

SELECT pg_temp.send('fl_1.csv', E'code,qty\na,1\n') AS dry \gset
SELECT is((SELECT status FROM dba.finish_load(:dry, p_dry_run => true)), 'dry_run', 'a dry run of a client load');
SELECT is(pg_temp.chunks_left(:dry), NULL, 'leaves no chunk table behind');

SELECT pg_temp.send('fl_2.csv', E'code,qty\nb,2\n') AS first \gset
SELECT is((SELECT status FROM dba.finish_load(:first)), 'loaded', 'a client file loads');
UPDATE dba.timportconfig SET resend_policy = 'refuse' WHERE job_name = 'fl';
SELECT pg_temp.send('fl_2.csv', E'code,qty\nb,3\n') AS again \gset
SELECT is((SELECT status FROM dba.finish_load(:again)), 'failed', 'the same name with new content is refused by the job''s re-send policy');
SELECT is(pg_temp.chunks_left(:again), NULL, 'and its chunks are dropped though it never reached staging');

-- A stream that is not the registered file fails before the re-send policy acts: the load it
-- would supersede stays.
UPDATE dba.timportconfig SET resend_policy = 'supersede' WHERE job_name = 'fl';
SELECT pg_temp.send('fl_3.csv', E'code,qty\nc,3\n') AS kept \gset
SELECT is((SELECT status FROM dba.finish_load(:kept)), 'loaded', 'a client file loads');
SELECT pg_temp.send('fl_3.csv', E'code,qty\nd,4\n', E'code,qty\nd,5\n') AS changed \gset
SELECT is((SELECT (status, message) FROM dba.finish_load(:changed)),
          ('failed'::text, '[FD016] fl_3.csv: the stream is not the file begin_load registered (its sha256 differs from the one registered): it changed while it was sent; nothing of it was loaded'::text),
          'a re-sent name whose stream changed while it was sent fails, FD016');
SELECT is((SELECT status FROM dba.tdataloads WHERE load_id = :kept), 'loaded', 'and the load it would supersede is not undone');
SELECT results_eq($$SELECT code, qty FROM eng_fx.events WHERE code IN ('c', 'd') ORDER BY code$$, $$VALUES ('c', 3)$$,
                  'its rows stay, and none of the changed stream is loaded');

-- The chunks are in the session that sent them; finish_load elsewhere cannot check them.
SELECT pg_temp.send('fl_4.csv', E'code,qty\ne,6\n') AS elsewhere \gset
SELECT format('DROP TABLE pg_temp.load_%s_c', :elsewhere) AS drop_chunks \gset
:drop_chunks;
SELECT throws_ok(format('SELECT * FROM dba.finish_load(%s)', :elsewhere), 'FD050',
                 format('load %s: its stream is not in this session, so it cannot be checked against its registration', :elsewhere),
                 'finish_load without the stream''s chunks (another session) is refused');

SELECT * FROM finish();
ROLLBACK;
