-- dba.report_once() and dba.forget_reported(): the watcher reports a file it leaves once, until it changes or goes.
BEGIN;
SELECT plan(8);

SET LOCAL ROLE feeds_etl;
SELECT ok(dba.report_once('/in', 'a.pdf', 10, 1000, 'no_job'), 'the first time: report it');
SELECT ok(NOT dba.report_once('/in', 'a.pdf', 10, 1000, 'no_job'), 'the same file again: not again');
SELECT ok(dba.report_once('/in', 'a.pdf', 12, 1000, 'no_job'), 'another size: report it again');
SELECT ok(dba.report_once('/in', 'a.pdf', 12, 2000, 'no_job'), 'another mtime: again');
SELECT ok(dba.report_once('/in', 'a.pdf', 12, 2000, 'other_inbox'), 'another reason: again');
SELECT ok(dba.report_once('/other', 'a.pdf', 12, 2000, 'other_inbox'), 'each inbox on its own');
SELECT is(dba.forget_reported('/in', ARRAY['b.pdf']), 1, 'a file gone from the inbox is forgotten');
RESET ROLE;
SELECT throws_ok($$SET LOCAL ROLE feeds_reader; SELECT dba.report_once('/in', 'x', 1, 1, 'no_job')$$, '42501', NULL,
                 'feeds_reader may not write it');

SELECT * FROM finish();
ROLLBACK;
