-- dba.build_run_report(): status line, files, failures, rejection reasons, trend, escaping, one job only.
BEGIN;
SELECT plan(29);
\ir fixtures/report_runs.psql

CREATE TEMP TABLE t_report AS
SELECT 'all' AS part, r.* FROM dba.build_run_report('00000000-0000-0000-0000-0000000000a1') r
UNION ALL
SELECT 'alpha', r.* FROM dba.build_run_report('00000000-0000-0000-0000-0000000000a1', p_job => 'mt_alpha') r
UNION ALL
SELECT 'empty', r.* FROM dba.build_run_report('00000000-0000-0000-0000-0000000000e0') r
UNION ALL
SELECT 'clean', r.* FROM dba.build_run_report('00000000-0000-0000-0000-0000000000b2') r;

-- Status line and counts.
SELECT is((SELECT subject FROM t_report WHERE part = 'all'),
          '[Feeds] FAILURE: run 2026-11-20 - 3 files, 1 failed, 14 rows loaded, 3 rejected',
          'a run with a failed file is a FAILURE, with counts in the subject');
SELECT ok(strpos((SELECT body_text FROM t_report WHERE part = 'all'),
                 'Status: FAILURE — 3 files (1 loaded, 1 loaded with rejects, 1 failed); rows: 17 read, 13 inserted, 1 updated, 3 rejected.') > 0,
          'the status line counts files by status and rows read, inserted, updated, rejected');
SELECT ok((SELECT bool_and(subject ~ '^[ -~]+$') FROM t_report), 'subjects are plain ASCII (no encoded words to fold)');
SELECT is((SELECT subject FROM t_report WHERE part = 'clean'),
          '[Feeds] success: run 2026-11-22 - 1 file, 0 failed, 4 rows loaded, 0 rejected',
          'a clean run is a success');

-- One row per file, with its duration.
SELECT ok((SELECT body_text FROM t_report WHERE part = 'all')
          ~ '\nmt_beta +beta_ok\.csv +loaded +5 +5 +0 +0 +3\.0 s\n',
          'a file row shows job, file, status, read, inserted, updated, rejected and duration');
SELECT is((SELECT count(*) FROM regexp_matches((SELECT body_text FROM t_report WHERE part = 'all'),
                                               '\nmt_(alpha|beta)  ', 'g')),
          5::bigint, 'three file rows and two trend rows in the text');

-- Failures: SQLSTATE, message, location.
SELECT ok(strpos((SELECT body_text FROM t_report WHERE part = 'all'),
                 E'mt_beta / beta_R&D ''quoted''.csv: [22P04] missing data for column "visits" & <b>more</b>\n    file now at: /tmp/fail/beta_R&D.csv') > 0,
          'a failure shows its SQLSTATE, message and where the file lies now');

-- Rejection reasons, most frequent first, with sample lines.
SELECT ok(strpos((SELECT body_text FROM t_report WHERE part = 'all'),
                 E'mt_alpha: 2× email, column email: line 2: ''not-an-email'' is not an e-mail address\n'
                 || E'    alpha_<script>alert("x")</script>.csv line 2: not-an-email,3\n'
                 || E'    alpha_<script>alert("x")</script>.csv line 5: <img src=x onerror=alert(1)>,"4"\n'
                 || E'mt_alpha: 1× required, column email: value is required\n'
                 || E'    alpha_<script>alert("x")</script>.csv line 9: ,7') > 0,
          'rejection reasons per job and column, most frequent first, with an example message and sample lines');

-- Trend of the last 8 loads: the drop to 9 rows is visible.
SELECT ok(strpos((SELECT body_text FROM t_report WHERE part = 'all'),
                 'mt_alpha  ▃▄▅▆▆▇█▂  last 8 loads: 30 40 50 60 70 80 90 9 rows') > 0,
          'the text sparkline shows the last 8 loads of the job, oldest first');
SELECT is((SELECT count(*) FROM regexp_matches((SELECT body_html FROM t_report WHERE part = 'all'),
                                               '<div style="width:22px;height:\d+px;background:#[0-9a-f]{6}"></div>', 'g')),
          10::bigint, 'the HTML chart has a bar per load: 8 for mt_alpha, 2 for mt_beta');
SELECT ok(strpos((SELECT body_html FROM t_report WHERE part = 'all'),
                 'title="90 rows"><div style="width:22px;height:40px;background:#1976d2"></div>90</td>'
                 || '<td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="9 rows">'
                 || '<div style="width:22px;height:4px;background:#1976d2"></div>9</td>') > 0,
          'bar heights are proportional to the rows loaded');
SELECT ok(strpos((SELECT body_html FROM t_report WHERE part = 'all'),
                 'title="0 rows"><div style="width:22px;height:1px;background:#c62828">') > 0,
          'a failed load shows as a thin red bar');

-- Escaping of hostile values.
SELECT ok(strpos((SELECT body_html FROM t_report WHERE part = 'all'),
                 'alpha_&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;.csv') > 0,
          'a file name with a script tag and quotes is escaped');
SELECT ok(strpos((SELECT body_html FROM t_report WHERE part = 'all'), 'beta_R&amp;D &#39;quoted&#39;.csv') > 0,
          'a file name with & and apostrophes is escaped');
SELECT ok(strpos((SELECT body_html FROM t_report WHERE part = 'all'),
                 'missing data for column &quot;visits&quot; &amp; &lt;b&gt;more&lt;/b&gt;') > 0,
          'an error message is escaped');
SELECT ok(strpos((SELECT body_html FROM t_report WHERE part = 'all'),
                 '.csv line 5: &lt;img src=x onerror=alert(1)&gt;,&quot;4&quot;') > 0,
          'a raw sample line is escaped');
SELECT ok((SELECT body_html !~* '<(script|img|b)[ >]' FROM t_report WHERE part = 'all'),
          'no data value reaches the HTML as a tag');
SELECT ok((SELECT bool_and(body_html !~ '&(?!(amp|lt|gt|quot|#39);)') FROM t_report),
          'every & in the HTML starts an entity');
SELECT ok((SELECT bool_and(body_html !~* '<style|<link|class=') FROM t_report),
          'the HTML uses inline styles only');

-- One job's report shows only that job.
SELECT is((SELECT subject FROM t_report WHERE part = 'alpha'),
          '[Feeds] success with rejects: run 2026-11-20 job mt_alpha - 1 file, 0 failed, 9 rows loaded, 3 rejected',
          'a job report counts only the job''s files');
SELECT ok((SELECT body_text !~ 'beta' AND body_html !~ 'beta' FROM t_report WHERE part = 'alpha'),
          'a job report names no file, failure or trend of another job');

-- The empty run.
SELECT is((SELECT subject FROM t_report WHERE part = 'empty'), '[Feeds] success: run 2026-11-21 - no files',
          'an empty run is reported as a success with no files');
SELECT ok((SELECT strpos(body_text, 'Status: success — no files.') > 0 AND body_text !~ '\nFiles\n'
             FROM t_report WHERE part = 'empty'),
          'an empty run has a status line and no file table');

-- Errors and privileges.
SELECT throws_ok($$SELECT * FROM dba.build_run_report(gen_random_uuid())$$, 'FD001', NULL,
                 'an unknown run is FD001');
SELECT throws_ok($$SELECT * FROM dba.build_run_report('00000000-0000-0000-0000-0000000000a1', 'no_such_job')$$,
                 'FD001', NULL, 'an unknown job is FD001');
SELECT is(dba._html_escape('<a href="x">R&D''s</a>'), '&lt;a href=&quot;x&quot;&gt;R&amp;D&#39;s&lt;/a&gt;',
          '_html_escape escapes & < > " and ''');
SET LOCAL ROLE feeds_reader;
SELECT lives_ok($$SELECT * FROM dba.build_run_report('00000000-0000-0000-0000-0000000000a1')$$,
                'feeds_reader may build a report (it only reads what feeds_reader may read)');
SELECT throws_ok($$SELECT dba._html_escape('x')$$, '42501', NULL, 'feeds_reader may not call the helper');
RESET ROLE;
SET LOCAL ROLE feeds_etl;
SELECT lives_ok($$SELECT * FROM dba.build_run_report('00000000-0000-0000-0000-0000000000a1', 'mt_alpha')$$,
                'feeds_etl may build a report');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
