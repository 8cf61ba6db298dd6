-- meetmax.tdownloadstatus: the one list of verdicts on a fetched MeetMax list, and what the
-- downloader does with each; meetmax.download.status must be one of them.
BEGIN;
SELECT plan(7);

SELECT has_table('meetmax', 'tdownloadstatus', 'meetmax.tdownloadstatus exists');
SELECT columns_are('meetmax', 'tdownloadstatus', ARRAY['status', 'to_save', 'is_fine', 'description']);
SELECT fk_ok('meetmax', 'download', 'status', 'meetmax', 'tdownloadstatus', 'status');
SELECT results_eq($$SELECT status FROM meetmax.tdownloadstatus WHERE to_save$$, ARRAY['to_save'],
                  'only to_save is saved into the inbox');
SELECT results_eq($$SELECT status FROM meetmax.tdownloadstatus WHERE NOT is_fine ORDER BY status$$,
                  ARRAY['failed', 'refused'], 'refused and failed lists make the downloader exit 1');
SELECT throws_ok($$INSERT INTO meetmax.download (event_id, download_url, status) VALUES (1, 'u', 'half_saved')$$,
                 '23503', NULL, 'a verdict outside the lookup is refused');
SET LOCAL ROLE feeds_etl;
SELECT is((SELECT count(*) FROM meetmax.tdownloadstatus), 6::bigint, 'feeds_etl may read the verdicts');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
