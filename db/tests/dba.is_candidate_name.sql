-- dba.is_candidate_name(): which names in an inbox the watcher looks at.
BEGIN;
SELECT plan(3);

SET LOCAL ROLE feeds_etl;
SELECT is(ARRAY(SELECT n FROM unnest(ARRAY['a.csv', 'Report 7.XLSX', 'x.partial.csv', 'tmp.csv']) n WHERE dba.is_candidate_name(n)),
          ARRAY['a.csv', 'Report 7.XLSX', 'x.partial.csv', 'tmp.csv'], 'plain names are candidates');
SELECT is(ARRAY(SELECT n FROM unnest(ARRAY['a.csv.part', 'b.csv.TMP', 'c.filepart', 'd.crdownload', 'e.partial',
                                           'f.download', 'g.swp', '.hidden.csv', '.feeds-watch.lock', '~$book.xlsx']) n
                 WHERE dba.is_candidate_name(n)),
          '{}'::text[], 'partial uploads, dot-files and Office lock files are not');
RESET ROLE;
SELECT throws_ok($$SET LOCAL ROLE feeds_reader; SELECT dba.is_candidate_name('a.csv')$$, '42501', NULL,
                 'feeds_reader may not call it');

SELECT * FROM finish();
ROLLBACK;
