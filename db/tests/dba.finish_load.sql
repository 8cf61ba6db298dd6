-- dba.finish_load() drops the client's chunk table whatever became of the file: a dry run (whose
-- own DROP rolls back with it) and a load the re-send policy refuses before staging.
BEGIN;
SELECT plan(5);
\ir fixtures/engine.psql

SELECT pg_temp.job('fl', '^fl_\d+\.csv$', '[{"source":"code","target":"code"},{"source":"qty","target":"qty","type":"integer"}]');
CREATE FUNCTION pg_temp.send(p_name text, p_content text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    v_b record;
BEGIN
    SELECT * INTO v_b FROM dba.begin_load('fl', p_name, encode(sha256(convert_to(p_content, 'UTF8')), 'hex'),
                                          octet_length(convert_to(p_content, 'UTF8')));
    EXECUTE format('INSERT INTO %s (chunk) VALUES ($1)', v_b.staging_table) USING convert_to(p_content, 'UTF8');
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

SELECT * FROM finish();
ROLLBACK;
