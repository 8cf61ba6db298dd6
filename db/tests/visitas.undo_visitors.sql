-- visitas.undo_visitors(), the undo hook of the Visitas job, through the real job row: an undo takes
-- a load's visits out of visitas.visitor, and a corrected re-send (resend_policy supersede) leaves
-- every counter as if only the corrected file had come.
BEGIN;
SELECT plan(9);
\ir fixtures/engine.psql
\set base_dir /nonexistent/visitas-pgtap
\ir ../../etc/jobs/visitas.sql
-- The real job under a name and pattern of its own: its files in the shared test directory are
-- never taken by another test's run of the visitas job.
UPDATE dba.timportconfig SET processing_dir = current_setting('feeds.test_dir'), job_name = 'visitas_undo_pgtap',
                             file_pattern = '^undo_report_\d+\.txt$'
 WHERE job_name = 'visitas';

CREATE FUNCTION pg_temp.report(p_name text, p_rows text[]) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.deliver(p_name, array_to_string(
        ARRAY['email,jyv,Badmail,Baja,Fecha envio,Fecha open,Opens,Opens virales,Fecha click,Clicks,Clicks virales,Links,IPs,Navegadores,Plataformas']
        || ARRAY(SELECT format('%s,,,,%s,,1,0,,0,0,,,,', split_part(r, '|', 1), split_part(r, '|', 2)) FROM unnest(p_rows) r),
        E'\r\n') || E'\r\n') $$;
CREATE FUNCTION pg_temp.run(p_as_of date, p_file text) RETURNS TABLE (load_id bigint, status text) LANGUAGE sql AS $$
    SELECT load_id, status FROM dba.run_import(p_file => p_file, p_run_uuid => dba.start_run('pgtap', p_as_of)) $$;
CREATE FUNCTION pg_temp.counters(p_like text) RETURNS TABLE (who text, total int, y int, m int, f timestamp, l timestamp, p date)
LANGUAGE sql AS $$
    SELECT split_part(email, '@', 1), total_visits, visits_this_year, visits_this_month, first_visit, last_visit, counters_month
      FROM visitas.visitor WHERE email LIKE p_like ORDER BY 1 $$;

-- Two histories side by side: @sent.test gets report_91001 and then a corrected re-send of it;
-- @only.test gets only what the corrected file holds. Both first have a January run.
SELECT pg_temp.report('undo_report_91000.txt', ARRAY['ana@sent.test|10/01/2013 10:00', 'ana@only.test|10/01/2013 10:00']);
SELECT status FROM pg_temp.run('2013-01-20', 'undo_report_91000.txt');
SELECT pg_temp.report('undo_report_91001.txt', ARRAY['ana@sent.test|08/02/2013 18:30', 'ana@sent.test|09/02/2013 18:30',
                                               'beto@sent.test|09/02/2013 10:00', 'cris@sent.test|01/02/2013 10:00']);
CREATE TEMP TABLE first_send AS SELECT * FROM pg_temp.run('2013-02-15', 'undo_report_91001.txt');
SELECT pg_temp.report('undo_report_91002.txt', ARRAY['ana@only.test|08/02/2013 18:30', 'beto@only.test|09/02/2013 10:00',
                                               'dani@only.test|10/02/2013 10:00']);
SELECT status FROM pg_temp.run('2013-02-16', 'undo_report_91002.txt');
SELECT is((SELECT total_visits FROM visitas.visitor WHERE email = 'ana@sent.test'), 3, 'before the re-send: three visits of ana');

-- The client re-sends report_91001.txt with two lines fixed (ana once, dani instead of cris).
SELECT pg_temp.report('undo_report_91001.txt', ARRAY['ana@sent.test|08/02/2013 18:30', 'beto@sent.test|09/02/2013 10:00',
                                               'dani@sent.test|10/02/2013 10:00']);
CREATE TEMP TABLE resend AS SELECT * FROM pg_temp.run('2013-02-16', 'undo_report_91001.txt');
SELECT is((SELECT status FROM resend), 'loaded', 'the corrected re-send loads');
SELECT is((SELECT status FROM dba.tdataloads WHERE load_id = (SELECT load_id FROM first_send)), 'undone',
          'the first version is superseded (undone)');
SELECT results_eq($$SELECT * FROM pg_temp.counters('%@sent.test')$$, $$SELECT * FROM pg_temp.counters('%@only.test')$$,
                  'every counter is as if only the corrected file had come');
SELECT is((SELECT count(*) FROM visitas.visitor WHERE email = 'cris@sent.test'), 0::bigint,
          'a visitor only the superseded file had is gone');
SELECT is((SELECT sum(visits) FROM visitas.visitor_load WHERE email LIKE '%@sent.test'), 4::bigint,
          'the visits kept per load add up to the visitors'' totals');

-- An undo takes the visits out again.
SELECT lives_ok(format('SELECT dba.undo_load(%s)', (SELECT load_id FROM resend)), 'the re-send can be undone');
SELECT results_eq($$SELECT who, total, y, m, p FROM pg_temp.counters('%@sent.test')$$,
                  $$VALUES ('ana', 1, 1, 1, '2013-01-01'::date)$$,
                  'after the undo, only the January visit of ana is counted, in its own period');
SELECT is(visitas.undo_visitors((SELECT load_id FROM resend)), 0, 'a load already taken out changes nothing');

SELECT * FROM finish();
ROLLBACK;
