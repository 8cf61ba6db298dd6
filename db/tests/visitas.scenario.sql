-- The Visitas job end to end in SQL, as a DBA would run it: the real job row (etc/jobs/visitas.sql),
-- report files in the issue's layout, dba.run_import, the hook, visitas.errors, the monthly view.
BEGIN;
SELECT plan(17);
\ir fixtures/engine.psql
\set base_dir /nonexistent/visitas-pgtap
\ir ../../etc/jobs/visitas.sql
-- The engine reads the test directory the server can write to.
UPDATE dba.timportconfig SET processing_dir = current_setting('feeds.test_dir') WHERE job_name = 'visitas';

SELECT pg_temp.deliver('report_90001.txt', concat_ws(E'\r\n',
  'Email,JYV_FEB,Badmail,Baja,Fecha envío,Fecha open,Opens,Opens virales,Fecha click,Clicks,Clicks virales,Links,IPs,Navegadores,Plataformas',
  'ana@pgtap.test,,,,08/02/2013 18:30,08/02/2013 19:00,2,0,-,0,0,"http://a.mx/1,http://a.mx/2","1.1.1.1,2.2.2.2",Chrome,"Windows,Linux"',
  'ANA@pgtap.test,,HARD,SI,14/02/2013 09:00,-,0,0,,0,0,-,-,-,-',
  'beto@pgtap.test,,,,20/01/2013 10:00,,1,1,21/01/2013 10:00,3,0,http://b.mx,3.3.3.3,Firefox,Mac',
  'not-an-email,,,,08/02/2013 18:30,,1,0,,0,0,,,,',
  'feb31@pgtap.test,,,,31/02/2013 10:00,,1,0,,0,0,,,,',
  'iso@pgtap.test,,,,2013-02-08 18:30,,1,0,,0,0,,,,',
  'neg@pgtap.test,,,,08/02/2013 18:30,,-1,0,,0,0,,,,',
  'soft@pgtap.test,,SOFT,,08/02/2013 18:30,,1,0,,0,0,,,,',
  'short@pgtap.test,,,',
  ''));
SELECT pg_temp.deliver('report_90002.txt', concat_ws(E'\n',
  'email,x,Badmail,Baja,Fecha envio,Fecha open,Opens,Opens virales,Fecha click,Clicks,Clicks virales,Links,IPs,Navegadores',
  'ana@pgtap.test,,,,09/02/2013 18:30,,1,0,,0,0,,,',
  ''));
SELECT pg_temp.deliver('report_90003.txt', concat_ws(E'\n',
  'email,x,Badmail,Baja,Fecha envio,Fecha open,Opens,Opens virales,Fecha click,Clicks,Clicks virales,Links,IPs,Navegadores,Plataformas',
  'ana@pgtap.test,,,,15/02/2013 07:00,,1,0,,0,0,,,,',
  ''));

CREATE TEMP TABLE t_run AS SELECT dba.start_run('pgtap', DATE '2013-02-15') AS run_uuid;
CREATE TEMP TABLE r AS
SELECT * FROM dba.run_import(p_job => 'visitas', p_run_uuid => (SELECT run_uuid FROM t_run))
 WHERE file_name ~ '^report_9000\d\.txt$';
SELECT visitas.collect_errors((SELECT run_uuid FROM t_run));

SELECT results_eq($$SELECT file_name, status, rows_read, rows_inserted, rows_rejected FROM r ORDER BY file_name$$,
  $$VALUES ('report_90001.txt', 'loaded_with_rejects', 9::bigint, 3::bigint, 6::bigint),
           ('report_90002.txt', 'failed', 0, 0, 0),
           ('report_90003.txt', 'loaded', 1, 1, 0)$$,
  'CRLF file with bad rows loads its good rows; a 14-column header fails the file before any row is read; an LF file loads');
SELECT matches((SELECT message FROM r WHERE file_name = 'report_90002.txt'), 'FD020',
               'the layout failure is FD020');

SELECT results_eq($$SELECT links, ips, plataformas, fecha_open, badmail, baja FROM visitas.statistics
                     WHERE email = 'ana@pgtap.test' AND line_no = 2
                       AND load_id = (SELECT load_id FROM r WHERE file_name = 'report_90001.txt')$$,
  $$VALUES ('http://a.mx/1,http://a.mx/2', '1.1.1.1,2.2.2.2', 'Windows,Linux', '2013-02-08 19:00'::timestamp, NULL::text, NULL::text)$$,
  'quoted lists stay one text value');
SELECT results_eq($$SELECT fecha_open, fecha_click, badmail, baja, links FROM visitas.statistics WHERE email = 'ANA@pgtap.test'$$,
  $$VALUES (NULL::timestamp, NULL::timestamp, 'HARD', 'SI', NULL::text)$$,
  '- and empty are no value; HARD and SI are allowed');

SELECT results_eq($$SELECT total_visits, visits_this_year, visits_this_month, first_visit, last_visit
                      FROM visitas.visitor WHERE email = 'ana@pgtap.test'$$,
  $$VALUES (3, 3, 3, '2013-02-08 18:30'::timestamp, '2013-02-15 07:00'::timestamp)$$,
  'ana: twice in one file (any case) and once in another file = three visits');
SELECT results_eq($$SELECT total_visits, visits_this_year, visits_this_month FROM visitas.visitor WHERE email = 'beto@pgtap.test'$$,
  $$VALUES (1, 1, 0)$$, 'beto: a January visit counts for the year only');
SELECT is((SELECT count(*) FROM visitas.visitor WHERE email LIKE '%@pgtap.test'), 2::bigint,
          'rejected rows make no visitors');

SELECT set_eq($$SELECT line_no, code FROM visitas.errors WHERE file_name = 'report_90001.txt'$$,
  $$VALUES (5::bigint, 'email'), (6, 'format'), (7, 'format'), (8, 'min'), (9, 'allowed'), (10, 'field_count')$$,
  'each bad row is in visitas.errors with its line and rule');
SELECT is((SELECT field FROM visitas.errors WHERE file_name = 'report_90001.txt' AND line_no = 6), 'Fecha envío',
          'the field is named as in the file');
SELECT is((SELECT raw_line FROM visitas.errors WHERE file_name = 'report_90001.txt' AND line_no = 10), 'short@pgtap.test,,,',
          'the raw line is kept');
SELECT ok((SELECT message FROM visitas.errors WHERE file_name = 'report_90001.txt' AND line_no = 7) ~ '2013-02-08 18:30',
          'the message quotes the bad value');
SELECT is((SELECT code FROM visitas.errors WHERE file_name = 'report_90002.txt' LIMIT 1), 'header',
          'the layout failure is in visitas.errors too');
SELECT is((SELECT count(*) FROM visitas.errors WHERE run_uuid <> (SELECT run_uuid FROM t_run)), 0::bigint,
          'visitas.errors holds this run only');

SELECT results_eq($$SELECT files_processed, files_loaded, files_failed, rows_processed, rows_loaded, rows_rejected
                      FROM visitas.monthly_control WHERE month = '2013-02-01'$$,
  $$VALUES (3::bigint, 2::bigint, 1::bigint, 10::bigint, 4::bigint, 6::bigint)$$,
  'the monthly control counts files and rows of February 2013 (the refused layout counts no row)');

-- The same content again in the next run: a duplicate, nothing loaded twice.
SELECT pg_temp.deliver('report_90004.txt', concat_ws(E'\n',
  'email,x,Badmail,Baja,Fecha envio,Fecha open,Opens,Opens virales,Fecha click,Clicks,Clicks virales,Links,IPs,Navegadores,Plataformas',
  'ana@pgtap.test,,,,15/02/2013 07:00,,1,0,,0,0,,,,',
  ''));
SELECT is((SELECT count(*) FROM dba.run_import(p_job => 'visitas', p_run_uuid => dba.start_run('pgtap', DATE '2013-02-16'))),
          0::bigint, 'the next run imports nothing');
SELECT is((SELECT status FROM dba.tdataloads WHERE file_name = 'report_90004.txt'),
          'duplicate', 'the same content under another name is a duplicate');
SELECT is((SELECT total_visits FROM visitas.visitor WHERE email = 'ana@pgtap.test'), 3, 'and adds no visit');

SELECT * FROM finish();
ROLLBACK;
