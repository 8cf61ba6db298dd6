-- visitas.update_visitors(): the post-load hook of the Visitas job, with fixture loads inserted directly.
BEGIN;
SELECT plan(27);

INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,
                               target_table, column_map, load_mode, post_load_hook)
VALUES ('visitas_pgtap', '^pgtap_\d+\.txt$', '/tmp/pgtap/in', '/tmp/pgtap/proc', '/tmp/pgtap/arch', '/tmp/pgtap/fail',
        'visitas.statistics', '[{"source": "email", "target": "email"}]', 'replace_per_run', 'visitas.update_visitors');

-- Runs with a reference date each: Feb 2013, Mar 2013 (month roll-over), Jan 2014 (year roll-over).
INSERT INTO dba.trun (run_uuid, process_type, as_of) VALUES
    ('00000000-0000-0000-0000-0000000000f1', 'pgtap', '2013-02-15'),
    ('00000000-0000-0000-0000-0000000000f2', 'pgtap', '2013-03-02'),
    ('00000000-0000-0000-0000-0000000000f3', 'pgtap', '2014-01-05');

CREATE TEMP TABLE t_load (n int PRIMARY KEY, load_id bigint);
CREATE FUNCTION pg_temp.load(p_n int, p_run uuid, p_rows text[][]) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
    INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, sha256, status)
    SELECT p_run, config_id, job_name, format('pgtap_%s.txt', p_n), encode(sha256(('pgtap' || p_n)::bytea), 'hex'), 'pending'
      FROM dba.timportconfig WHERE job_name = 'visitas_pgtap'
    RETURNING load_id INTO v;
    INSERT INTO visitas.statistics (load_id, line_no, email, fecha_envio)
    SELECT v, i + 1, p_rows[i][1], p_rows[i][2]::timestamp FROM generate_subscripts(p_rows, 1) i;
    INSERT INTO t_load VALUES (p_n, v);
    RETURN v;
END $$;
CREATE FUNCTION pg_temp.v(p_email text) RETURNS visitas.visitor LANGUAGE sql AS
    $$ SELECT * FROM visitas.visitor WHERE email = p_email $$;

-- Load 1 (Feb 2013): a twice in the file (once in upper case), b in January, c in December 2012.
SELECT pg_temp.load(1, '00000000-0000-0000-0000-0000000000f1', ARRAY[
    ['a@pgtap.test', '2013-02-08 18:30'], ['A@PGTAP.test ', '2013-02-10 09:00'],
    ['b@pgtap.test', '2013-01-10 10:00'], ['c@pgtap.test', '2012-12-31 23:59']]);
SELECT is(visitas.update_visitors((SELECT load_id FROM t_load WHERE n = 1)), 3, 'load 1 touches three visitors');
SELECT is((pg_temp.v('a@pgtap.test')).total_visits, 2, 'the same address twice in one file is two visits (case-insensitive)');
SELECT is((pg_temp.v('a@pgtap.test')).first_visit, '2013-02-08 18:30'::timestamp, 'new visitor: first = earliest fecha_envio');
SELECT is((pg_temp.v('a@pgtap.test')).last_visit, '2013-02-10 09:00'::timestamp, 'new visitor: last = latest fecha_envio');
SELECT is(ARRAY[(pg_temp.v('a@pgtap.test')).visits_this_year, (pg_temp.v('a@pgtap.test')).visits_this_month],
          ARRAY[2, 2], 'visits in the current month count for the year and the month');
SELECT is(ARRAY[(pg_temp.v('b@pgtap.test')).visits_this_year, (pg_temp.v('b@pgtap.test')).visits_this_month],
          ARRAY[1, 0], 'a January visit counts for the year, not for February');
SELECT is(ARRAY[(pg_temp.v('c@pgtap.test')).total_visits, (pg_temp.v('c@pgtap.test')).visits_this_year,
                (pg_temp.v('c@pgtap.test')).visits_this_month], ARRAY[1, 0, 0], 'a visit of last year counts only in the total');
SELECT is((pg_temp.v('c@pgtap.test')).counters_month, '2013-02-01'::date, 'counters refer to the run''s month (as_of)');

-- Load 2, same run: a later visit of a, an earlier one of b.
SELECT pg_temp.load(2, '00000000-0000-0000-0000-0000000000f1', ARRAY[
    ['a@pgtap.test', '2013-02-20 08:00'], ['b@pgtap.test', '2012-06-01 12:00']]);
SELECT is(visitas.update_visitors((SELECT load_id FROM t_load WHERE n = 2)), 2, 'load 2 touches two visitors');
SELECT is(ARRAY[(pg_temp.v('a@pgtap.test')).total_visits, (pg_temp.v('a@pgtap.test')).visits_this_year,
                (pg_temp.v('a@pgtap.test')).visits_this_month], ARRAY[3, 3, 3], 'known visitor: counters add up in the same period');
SELECT is((pg_temp.v('a@pgtap.test')).last_visit, '2013-02-20 08:00'::timestamp, 'known visitor: last = the later one');
SELECT is((pg_temp.v('b@pgtap.test')).first_visit, '2012-06-01 12:00'::timestamp, 'known visitor: first = the earlier one');
SELECT is((pg_temp.v('b@pgtap.test')).last_visit, '2013-01-10 10:00'::timestamp, 'an older visit does not move last_visit back');
SELECT is(ARRAY[(pg_temp.v('b@pgtap.test')).total_visits, (pg_temp.v('b@pgtap.test')).visits_this_year],
          ARRAY[2, 1], 'a visit outside the current year adds to the total only');
SELECT is((pg_temp.v('a@pgtap.test')).last_load_id, (SELECT load_id FROM t_load WHERE n = 2), 'last_load_id names the load');

-- Load 3, run of March 2013: the month counter resets before counting, the year counter does not.
SELECT pg_temp.load(3, '00000000-0000-0000-0000-0000000000f2', ARRAY[['a@pgtap.test', '2013-03-01 07:00']]);
SELECT is(visitas.update_visitors((SELECT load_id FROM t_load WHERE n = 3)), 1, 'load 3 touches one visitor');
SELECT is(ARRAY[(pg_temp.v('a@pgtap.test')).total_visits, (pg_temp.v('a@pgtap.test')).visits_this_year,
                (pg_temp.v('a@pgtap.test')).visits_this_month], ARRAY[4, 4, 1], 'month roll-over: month counter reset, year kept');
SELECT is((pg_temp.v('a@pgtap.test')).counters_month, '2013-03-01'::date, 'the counters now refer to March');
SELECT is((pg_temp.v('b@pgtap.test')).counters_month, '2013-02-01'::date, 'an untouched visitor keeps its period (no reset job)');

-- Load 4, run of January 2014: both period counters reset; a late row of 2013 counts in the total only.
SELECT pg_temp.load(4, '00000000-0000-0000-0000-0000000000f3', ARRAY[
    ['a@pgtap.test', '2014-01-02 10:00'], ['a@pgtap.test', '2013-12-30 10:00']]);
SELECT is(visitas.update_visitors((SELECT load_id FROM t_load WHERE n = 4)), 1, 'load 4: two rows, one visitor');
SELECT is(ARRAY[(pg_temp.v('a@pgtap.test')).total_visits, (pg_temp.v('a@pgtap.test')).visits_this_year,
                (pg_temp.v('a@pgtap.test')).visits_this_month], ARRAY[6, 1, 1], 'year roll-over: both counters reset');

-- A load without rows changes nothing.
SELECT pg_temp.load(5, '00000000-0000-0000-0000-0000000000f3', '{}'::text[][]);
SELECT is(visitas.update_visitors((SELECT load_id FROM t_load WHERE n = 5)), 0, 'an empty load touches no visitor');
SELECT is((SELECT sum(total_visits) FROM visitas.visitor WHERE email LIKE '%@pgtap.test'), 9::bigint,
          'every row loaded is exactly one visit');

SELECT throws_ok('SELECT visitas.update_visitors(-1)', 'FD001', NULL, 'an unknown load is FD001');

-- Privileges: only the owner (the engine) runs the hook.
SELECT function_privs_are('visitas', 'update_visitors', ARRAY['bigint'], 'feeds_etl', '{}'::text[],
                          'feeds_etl cannot run the hook');
SELECT function_privs_are('visitas', 'update_visitors', ARRAY['bigint'], 'feeds_reader', '{}'::text[],
                          'feeds_reader cannot run the hook');
SELECT isnt_definer('visitas', 'update_visitors', ARRAY['bigint'], 'the hook runs with its caller''s rights (the engine)');

SELECT * FROM finish();
ROLLBACK;
