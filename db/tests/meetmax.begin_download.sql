-- The MeetMax downloader asks the database: which events (meetmax.events_to_download), what to do
-- with a fetched list (meetmax.begin_download), and confirms a saved one (meetmax.finish_download).
BEGIN;
SELECT plan(14);

INSERT INTO meetmax.url_check (event_id, url, if_exists, is_downloadable, download_link, checked_at, load_id) VALUES
    (900001, 'http://m/e1.html', true, true, 'http://m/e1.xls', now(), -1),
    (900002, 'http://m/e2.html', true, false, NULL, now(), -1),
    (900003, 'http://m/e3.html', true, true, 'http://m/e3.xls', now(), -1);
CREATE TEMP TABLE run AS SELECT dba.start_run('pgtap') AS run_uuid;
GRANT SELECT ON run TO feeds_etl;
CREATE FUNCTION pg_temp.sha(p text) RETURNS text LANGUAGE sql AS $$ SELECT encode(sha256(p::bytea), 'hex') $$;
GRANT EXECUTE ON FUNCTION pg_temp.sha(text) TO feeds_etl;

SET LOCAL ROLE feeds_etl;
SELECT results_eq($$SELECT event_id FROM meetmax.events_to_download() WHERE event_id > 900000$$, ARRAY[900001, 900003],
                  'the downloadable events with a link');
SELECT results_eq($$SELECT event_id, url, download_link FROM meetmax.events_to_download('{900003}')$$,
                  $$VALUES (900003, 'http://m/e3.html', 'http://m/e3.xls')$$, 'or only those asked for');

CREATE TEMP TABLE v1 AS SELECT * FROM meetmax.begin_download((SELECT run_uuid FROM run), 900001, 'http://m/e1.xls', 5000,
                                                             pg_temp.sha('list A'), 'xlsx', pg_temp.sha('cells A'));
SELECT is((SELECT status FROM v1), 'to_save', 'a new list is to be saved');
SELECT is((meetmax.finish_download((SELECT download_id FROM v1), '20260101T000000_MeetMax_900001.xls')).status, 'saved',
          'and is confirmed saved');
SELECT throws_ok(format('SELECT meetmax.finish_download(%s, %L)', (SELECT download_id FROM v1), 'x'), 'FD001', NULL,
                 'a download is saved once');
SELECT results_eq($$SELECT status, reason FROM meetmax.begin_download((SELECT run_uuid FROM run), 900001, 'u', 5000,
                                                                     pg_temp.sha('list A'), 'xlsx', pg_temp.sha('cells A'))$$,
                  $$VALUES ('duplicate', 'the same content was downloaded before for this event')$$,
                  'the same bytes for the same event: duplicate');
SELECT results_eq($$SELECT status FROM meetmax.begin_download((SELECT run_uuid FROM run), 900003, 'u', 5000,
                                                             pg_temp.sha('list A'), 'xlsx', pg_temp.sha('cells A'))$$,
                  ARRAY['to_save'], 'the same bytes for another event: saved (two events, two loads)');
SELECT results_eq($$SELECT status, reason FROM meetmax.begin_download((SELECT run_uuid FROM run), 900001, 'u', 5100,
                                                                     pg_temp.sha('list A, written again'), 'xlsx', pg_temp.sha('cells A'))$$,
                  $$VALUES ('unchanged', 'the same cells as 20260101T000000_MeetMax_900001.xls (other bytes); not saved again')$$,
                  'other bytes with the same cells: unchanged, not saved');
SELECT results_eq($$SELECT status FROM meetmax.begin_download((SELECT run_uuid FROM run), 900001, 'u', 5100,
                                                             pg_temp.sha('list B'), 'xlsx', pg_temp.sha('cells B'))$$,
                  ARRAY['to_save'], 'changed cells: saved');
SELECT results_eq($$SELECT status, reason FROM meetmax.begin_download((SELECT run_uuid FROM run), 900001, 'u', 1023,
                                                                     pg_temp.sha('tiny'), 'xlsx', NULL)$$,
                  $$VALUES ('refused', 'only 1023 bytes (under 1024); not a real list')$$, 'under 1024 bytes: refused');
SELECT results_eq($$SELECT status, reason FROM meetmax.begin_download((SELECT run_uuid FROM run), 900001, 'u', 9000,
                                                                     pg_temp.sha('login'), 'html', NULL, 'a login page came back')$$,
                  $$VALUES ('refused', 'a login page came back')$$, 'what the shim saw in the content is the reason');
SELECT results_eq($$SELECT status FROM meetmax.begin_download((SELECT run_uuid FROM run), 900001, 'u', NULL, NULL, NULL, NULL,
                                                             'HTTP 500', true)$$, ARRAY['failed'], 'no answer: failed');
SELECT throws_ok($$SELECT * FROM meetmax.begin_download((SELECT run_uuid FROM run), 900001, 'u', 5000, 'nothex', 'xlsx', NULL)$$,
                 '22023', NULL, 'a malformed sha256 is 22023');
RESET ROLE;
SELECT is((SELECT count(*) FROM meetmax.download WHERE event_id > 900000), 8::bigint, 'every verdict is a row of meetmax.download');

SELECT * FROM finish();
ROLLBACK;
