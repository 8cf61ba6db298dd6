-- dba.build_run_report(): the report, byte for byte, for rich data: every load status, failures with
-- and without a message or location, more than five rejection reasons, hostile and non-ASCII values,
-- a warning, a killed run's load, the trend. The expected text was rendered by the one-function
-- build_run_report before it was split into steps; any change to what the report shows fails here.
BEGIN;
SELECT plan(13);
-- Rich data: three jobs; run c1 with a loaded, a loaded-with-rejects, a failed (with and without
-- message and location), a duplicate, an undone, a pending and a still-running load, a warning
-- (a loaded file with a message, a WARNING log line), a load of a killed earlier run reported in
-- this one, eight rejection reasons (more than five, ties, no column, no line, no raw line, more
-- than three samples), hostile and non-ASCII values, a job with only failed loads (trend of
-- zeros), older and later loads for the trend; an empty run.
CREATE SCHEMA gold_fx;
CREATE TABLE gold_fx.target (load_id bigint, code text);
GRANT USAGE ON SCHEMA gold_fx TO feeds_owner;
GRANT SELECT, INSERT, UPDATE, DELETE ON gold_fx.target TO feeds_owner;
INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,
                               target_table, column_map)
SELECT j, '^' || j || '_.*\.csv$', '/tmp/in', '/tmp/proc', '/tmp/arch', '/tmp/fail', 'gold_fx.target',
       '[{"source": "code", "target": "code"}]'
  FROM unnest(ARRAY['gold_a', 'gold_beta_with_a_long_name', 'gold_c']) j;
INSERT INTO dba.trun (run_uuid, process_type, as_of, started_by, started_at, finished_at, interrupted_at)
VALUES ('00000000-0000-0000-0000-0000000000c0', 'cron', '2026-11-24', 'etl_user', '2026-11-24 05:00Z', NULL, '2026-11-24 05:30Z'),
       ('00000000-0000-0000-0000-0000000000c1', 'cron', '2026-11-25', 'etl_user', '2026-11-25 05:00:07.25Z', NULL, NULL),
       ('00000000-0000-0000-0000-0000000000c2', 'psql', '2026-11-26', 'alice <a&b>', '2026-11-26 05:00Z', NULL, NULL),
       ('00000000-0000-0000-0000-0000000000ce', 'cron', '2026-11-27', 'etl_user', '2026-11-27 05:00Z', NULL, NULL);
CREATE FUNCTION pg_temp.gold_load(p_run text, p_job text, p_file text, p_status text, p_read bigint, p_ins bigint,
                                  p_upd bigint, p_rej bigint, p_started text, p_finished text,
                                  p_state text DEFAULT NULL, p_msg text DEFAULT NULL, p_path text DEFAULT NULL,
                                  p_location text DEFAULT NULL, p_reported_in text DEFAULT NULL)
RETURNS bigint LANGUAGE sql AS $$
    INSERT INTO dba.tdataloads (run_uuid, config_id, job_name, file_name, status, rows_read, rows_inserted,
                                rows_updated, rows_rejected, started_at, finished_at, error_sqlstate,
                                error_message, file_path, file_location, reported_in)
    SELECT p_run::uuid, c.config_id, p_job, p_file, p_status, p_read, p_ins, p_upd, p_rej, p_started::timestamptz,
           p_finished::timestamptz, p_state, p_msg, p_path, p_location, p_reported_in::uuid
      FROM dba.timportconfig c WHERE c.job_name = p_job
    RETURNING load_id
$$;
-- History of gold_a (no run): loaded, failed, duplicate and undone ones (the last two not in the trend).
SELECT pg_temp.gold_load(NULL, 'gold_a', format('gold_a_h%s.csv', g),
                         CASE g % 5 WHEN 0 THEN 'failed' WHEN 3 THEN 'duplicate' WHEN 4 THEN 'undone' ELSE 'loaded' END,
                         g * 7, g * 6, g, 0, format('2026-11-%s 04:00Z', 10 + g), format('2026-11-%s 04:00:01Z', 10 + g))
  FROM generate_series(1, 12) g;
-- The killed run's load, reported in c1.
SELECT pg_temp.gold_load('00000000-0000-0000-0000-0000000000c0', 'gold_a', 'gold_a_killed.csv', 'pending', 0, 0, 0, 0,
                         '2026-11-24 05:10Z', NULL, NULL, NULL, '/tmp/proc/gold_a_killed.csv', NULL,
                         '00000000-0000-0000-0000-0000000000c1');
-- Run c1.
SELECT pg_temp.gold_load('00000000-0000-0000-0000-0000000000c1', 'gold_a', 'gold_a_1.csv', 'loaded', 10, 10, 0, 0,
                         '2026-11-25 05:01Z', '2026-11-25 05:01:00.04Z', NULL, NULL, '/tmp/proc/gold_a_1.csv', '/tmp/arch/2026-11-25.zip');
SELECT pg_temp.gold_load('00000000-0000-0000-0000-0000000000c1', 'gold_a', 'gold_a_2 données «ü».csv', 'loaded_with_rejects',
                         20, 12, 3, 5, '2026-11-25 05:02Z', '2026-11-25 05:03:15.96Z', NULL, NULL,
                         '/tmp/proc/gold_a_2.csv', '/tmp/arch/2026-11-25.zip');
SELECT pg_temp.gold_load('00000000-0000-0000-0000-0000000000c1', 'gold_a', 'gold_a_3.csv', 'failed', 0, 0, 0, 0,
                         '2026-11-25 05:04Z', NULL);
SELECT pg_temp.gold_load('00000000-0000-0000-0000-0000000000c1', 'gold_a', 'gold_a_pending.csv', 'pending', 0, 0, 0, 0,
                         '2026-11-25 05:05Z', NULL, NULL, NULL, '/tmp/proc/gold_a_pending.csv');
SELECT pg_temp.gold_load('00000000-0000-0000-0000-0000000000c1', 'gold_beta_with_a_long_name', 'gold_b_<i>x</i> & ''q''.csv',
                         'failed', 3, 0, 0, 0, '2026-11-25 05:06Z', '2026-11-25 05:06:00.5Z', '22P04',
                         E'extra data after last expected column\nCONTEXT:\tCOPY load_42, line 3: "a,b,<c>"',
                         '/tmp/proc/b.csv', NULL);
SELECT pg_temp.gold_load('00000000-0000-0000-0000-0000000000c1', 'gold_beta_with_a_long_name', 'gold_b_dup.csv', 'duplicate',
                         0, 0, 0, 0, '2026-11-25 05:07Z', '2026-11-25 05:07:00Z', NULL, NULL, '/tmp/proc/gold_b_dup.csv',
                         '/tmp/arch/dup.zip');
SELECT pg_temp.gold_load('00000000-0000-0000-0000-0000000000c1', 'gold_beta_with_a_long_name', 'gold_b_undone.csv', 'undone',
                         7, 7, 0, 0, '2026-11-25 05:08Z', '2026-11-25 05:08:02Z');
SELECT pg_temp.gold_load('00000000-0000-0000-0000-0000000000c1', 'gold_beta_with_a_long_name', 'gold_b_warn.csv', 'loaded',
                         4, 2, 2, 0, '2026-11-25 05:09Z', '2026-11-25 05:09:01Z', NULL,
                         'warning: 1 extra column ignored (header_policy ignore_extra)', '/tmp/proc/gold_b_warn.csv',
                         '/tmp/arch/2026-11-25.zip');
SELECT pg_temp.gold_load('00000000-0000-0000-0000-0000000000c1', 'gold_c', 'gold_c_1.csv', 'failed', 0, 0, 0, 0,
                         '2026-11-25 05:10Z', '2026-11-25 05:10:00.05Z', 'FD020', 'gold_c_1.csv line 1: header does not match',
                         '/tmp/proc/gold_c_1.csv', '/tmp/fail/gold_c_1.csv');
SELECT pg_temp.gold_load(NULL, 'gold_c', 'gold_c_0.csv', 'failed', 0, 0, 0, 0, '2026-11-20 05:10Z', '2026-11-20 05:10:01Z', 'FD021');
-- Later than run c1 (run c2): not in c1's trend.
SELECT pg_temp.gold_load('00000000-0000-0000-0000-0000000000c2', 'gold_a', 'gold_a_later.csv', 'loaded', 99, 99, 0, 0,
                         '2026-11-26 05:01Z', '2026-11-26 05:01:09Z');
INSERT INTO dba.tloaderror (load_id, line_no, column_name, raw_value, rule, message, raw_line)
SELECT d.load_id, v.line_no, v.col, v.raw_value, v.rule, v.message, v.raw_line
  FROM dba.tdataloads d,
       (VALUES (2, 'code', 'x1', 'regex', 'line 2: x1 does not match', 'x1,a'),
               (3, 'code', 'x2', 'regex', 'line 3: x2 does not match', 'x2,b'),
               (4, 'code', 'x3', 'regex', 'line 4: x3 does not match', NULL),
               (5, 'code', 'x4', 'regex', 'line 5: x4 does not match', 'x4,d'),
               (6, 'code', '<x5>', 'regex', 'line 6: <x5> does not match', '<x5>,"e"'),
               (7, 'qty', 'ten', 'type', 'line 7: ''ten'' is not an integer', 'ok,ten'),
               (8, 'qty', '', 'required', 'line 8: value is required', 'ok,'),
               (9, NULL, NULL, 'field_count', 'line 9: 3 fields, 2 expected', 'a,b,c'),
               (NULL, 'code', NULL, 'email', 'a value is not an e-mail address', NULL),
               (10, 'when', '31.02.2026', 'type', 'line 10: ''31.02.2026'' is not a date', 'ok,1,31.02.2026'),
               (11, 'code', 'ünï', 'max_length', 'line 11: longer than 2', 'ünï,1'),
               (12, 'amount', '-1', 'min', 'line 12: below 0', 'ok,-1'),
               (13, 'amount', '-2', 'min', 'line 13: below 0', E'ok,-2\t')) v(line_no, col, raw_value, rule, message, raw_line)
 WHERE d.file_name = 'gold_a_2 données «ü».csv';
SELECT dba.log(p_message => 'gold_b_warn.csv: 1 extra column ignored', p_level => 'warning',
               p_run_uuid => '00000000-0000-0000-0000-0000000000c1', p_process_type => 'cron');

SELECT is((SELECT array_agg(DISTINCT status ORDER BY status) FROM dba.tdataloads
            WHERE run_uuid = '00000000-0000-0000-0000-0000000000c1' OR reported_in = '00000000-0000-0000-0000-0000000000c1'),
          ARRAY['duplicate', 'failed', 'loaded', 'loaded_with_rejects', 'pending', 'undone'],
          'the fixture run has a load in every status');
CREATE TEMP TABLE t_gold AS
SELECT 'run' AS part, r.* FROM dba.build_run_report('00000000-0000-0000-0000-0000000000c1', NULL) r
UNION ALL
SELECT 'job' AS part, r.* FROM dba.build_run_report('00000000-0000-0000-0000-0000000000c1', 'gold_beta_with_a_long_name') r
UNION ALL
SELECT 'hostile' AS part, r.* FROM dba.build_run_report('00000000-0000-0000-0000-0000000000c2', NULL) r
UNION ALL
SELECT 'empty' AS part, r.* FROM dba.build_run_report('00000000-0000-0000-0000-0000000000ce', NULL) r;

-- the whole run
SELECT is((SELECT subject FROM t_gold WHERE part = 'run'),
$gold$[Feeds] FAILURE: run 2026-11-25 - 10 files, 3 failed, 36 rows loaded, 5 rejected$gold$,
          'the subject of the whole run is unchanged');
SELECT is((SELECT body_text FROM t_gold WHERE part = 'run'),
$gold$Feeds run 2026-11-25 (cron)

Status: FAILURE — 10 files (2 loaded, 1 loaded with rejects, 3 failed, 1 duplicate, 2 pending, 1 undone); rows: 44 read, 31 inserted, 5 updated, 5 rejected.

Files
job                         file                       status                   read  inserted   updated  rejected   duration
gold_a                      gold_a_killed.csv          pending                     0         0         0         0          -
gold_a                      gold_a_1.csv               loaded                     10        10         0         0      0.0 s
gold_a                      gold_a_2 données «ü».csv   loaded_with_rejects        20        12         3         5     76.0 s
gold_a                      gold_a_3.csv               failed                      0         0         0         0          -
gold_a                      gold_a_pending.csv         pending                     0         0         0         0          -
gold_beta_with_a_long_name  gold_b_<i>x</i> & 'q'.csv  failed                      3         0         0         0      0.5 s
gold_beta_with_a_long_name  gold_b_dup.csv             duplicate                   0         0         0         0      0.0 s
gold_beta_with_a_long_name  gold_b_undone.csv          undone                      7         7         0         0      2.0 s
gold_beta_with_a_long_name  gold_b_warn.csv            loaded                      4         2         2         0      1.0 s
gold_c                      gold_c_1.csv               failed                      0         0         0         0      0.1 s

Failures
gold_a / gold_a_3.csv: [?] no message
    file now at: unknown
gold_beta_with_a_long_name / gold_b_<i>x</i> & 'q'.csv: [22P04] extra data after last expected column
CONTEXT:	COPY load_42, line 3: "a,b,<c>"
    file now at: /tmp/proc/b.csv
gold_c / gold_c_1.csv: [FD020] gold_c_1.csv line 1: header does not match
    file now at: /tmp/fail/gold_c_1.csv

Top rejection reasons
gold_a: 5× regex, column code: line 2: x1 does not match
    gold_a_2 données «ü».csv line 2: x1,a
    gold_a_2 données «ü».csv line 3: x2,b
    gold_a_2 données «ü».csv line 4: x3
gold_a: 2× min, column amount: line 12: below 0
    gold_a_2 données «ü».csv line 12: ok,-1
    gold_a_2 données «ü».csv line 13: ok,-2	
gold_a: 1× email, column code: a value is not an e-mail address
    gold_a_2 données «ü».csv line ?: 
gold_a: 1× field_count: line 9: 3 fields, 2 expected
    gold_a_2 données «ü».csv line 9: a,b,c
gold_a: 1× max_length, column code: line 11: longer than 2
    gold_a_2 données «ü».csv line 11: ünï,1

Rows loaded, last 8 loads per job (oldest first)
gold_a                      ▅▅▇▇█▂▂▁  last 8 loads: 42 49 70 77 84 10 15 0 rows
gold_beta_with_a_long_name  ▁█  last 2 loads: 0 4 rows
gold_c                      ▁▁  last 2 loads: 0 0 rows

Run 00000000-0000-0000-0000-0000000000c1, started 2026-11-25 05:00:07 UTC by etl_user.
$gold$,
          'the text of the whole run is unchanged');
SELECT is((SELECT body_html FROM t_gold WHERE part = 'run'),
$gold$<!DOCTYPE html><html><body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;background:#ffffff"><h1 style="font-size:20px;margin:0 0 10px 0">Feeds run 2026-11-25 (cron)</h1><p style="margin:0 0 12px 0;padding:8px 12px;border-left:6px solid #c62828;background:#f7f7f7"><strong style="color:#c62828">FAILURE</strong> — 10 files (2 loaded, 1 loaded with rejects, 3 failed, 1 duplicate, 2 pending, 1 undone); rows: 44 read, 31 inserted, 5 updated, 5 rejected.</p><h2 style="font-size:16px;margin:20px 0 6px 0;color:#333">Files</h2><table style="border-collapse:collapse;font-size:13px"><tr><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">job</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">file</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">status</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">read</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">inserted</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">updated</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">rejected</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">duration</th></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a_killed.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#555;font-weight:bold">pending</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">-</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a_1.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#2e7d32;font-weight:bold">loaded</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">10</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">10</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0.0 s</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a_2 données «ü».csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#ef6c00;font-weight:bold">loaded_with_rejects</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">20</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">12</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">3</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">5</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">76.0 s</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a_3.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#c62828;font-weight:bold">failed</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">-</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a_pending.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#555;font-weight:bold">pending</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">-</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_beta_with_a_long_name</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_b_&lt;i&gt;x&lt;/i&gt; &amp; &#39;q&#39;.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#c62828;font-weight:bold">failed</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">3</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0.5 s</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_beta_with_a_long_name</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_b_dup.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#555;font-weight:bold">duplicate</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0.0 s</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_beta_with_a_long_name</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_b_undone.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#555;font-weight:bold">undone</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">7</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">7</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">2.0 s</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_beta_with_a_long_name</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_b_warn.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#2e7d32;font-weight:bold">loaded</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">4</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">2</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">2</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">1.0 s</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_c</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_c_1.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#c62828;font-weight:bold">failed</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0.1 s</td></tr></table><h2 style="font-size:16px;margin:20px 0 6px 0;color:#333">Failures</h2><ul style="padding-left:18px"><li style="margin-bottom:6px"><strong>gold_a / gold_a_3.csv</strong>: <code style="background:#fdecea;padding:0 3px">?</code> no message<br><span style="color:#555">file now at: unknown</span></li><li style="margin-bottom:6px"><strong>gold_beta_with_a_long_name / gold_b_&lt;i&gt;x&lt;/i&gt; &amp; &#39;q&#39;.csv</strong>: <code style="background:#fdecea;padding:0 3px">22P04</code> extra data after last expected column
CONTEXT:	COPY load_42, line 3: &quot;a,b,&lt;c&gt;&quot;<br><span style="color:#555">file now at: /tmp/proc/b.csv</span></li><li style="margin-bottom:6px"><strong>gold_c / gold_c_1.csv</strong>: <code style="background:#fdecea;padding:0 3px">FD020</code> gold_c_1.csv line 1: header does not match<br><span style="color:#555">file now at: /tmp/fail/gold_c_1.csv</span></li></ul><h2 style="font-size:16px;margin:20px 0 6px 0;color:#333">Top rejection reasons</h2><ul style="padding-left:18px"><li style="margin-bottom:6px"><strong>gold_a</strong>: 5× <code>regex</code>, column code: line 2: x1 does not match<pre style="margin:2px 0 0 0;padding:4px;background:#f6f6f6;font-size:12px">gold_a_2 données «ü».csv line 2: x1,a
gold_a_2 données «ü».csv line 3: x2,b
gold_a_2 données «ü».csv line 4: x3</pre></li><li style="margin-bottom:6px"><strong>gold_a</strong>: 2× <code>min</code>, column amount: line 12: below 0<pre style="margin:2px 0 0 0;padding:4px;background:#f6f6f6;font-size:12px">gold_a_2 données «ü».csv line 12: ok,-1
gold_a_2 données «ü».csv line 13: ok,-2	</pre></li><li style="margin-bottom:6px"><strong>gold_a</strong>: 1× <code>email</code>, column code: a value is not an e-mail address<pre style="margin:2px 0 0 0;padding:4px;background:#f6f6f6;font-size:12px">gold_a_2 données «ü».csv line ?: </pre></li><li style="margin-bottom:6px"><strong>gold_a</strong>: 1× <code>field_count</code>: line 9: 3 fields, 2 expected<pre style="margin:2px 0 0 0;padding:4px;background:#f6f6f6;font-size:12px">gold_a_2 données «ü».csv line 9: a,b,c</pre></li><li style="margin-bottom:6px"><strong>gold_a</strong>: 1× <code>max_length</code>, column code: line 11: longer than 2<pre style="margin:2px 0 0 0;padding:4px;background:#f6f6f6;font-size:12px">gold_a_2 données «ü».csv line 11: ünï,1</pre></li></ul><h2 style="font-size:16px;margin:20px 0 6px 0;color:#333">Rows loaded, last 8 loads per job (oldest first)</h2><table style="border-collapse:collapse;font-size:13px"><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:bottom">gold_a</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left"><table style="border-collapse:collapse"><tr><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="42 rows"><div style="width:22px;height:20px;background:#1976d2"></div>42</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="49 rows"><div style="width:22px;height:23px;background:#1976d2"></div>49</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="70 rows"><div style="width:22px;height:33px;background:#c62828"></div>70</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="77 rows"><div style="width:22px;height:37px;background:#1976d2"></div>77</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="84 rows"><div style="width:22px;height:40px;background:#1976d2"></div>84</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="10 rows"><div style="width:22px;height:5px;background:#1976d2"></div>10</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="15 rows"><div style="width:22px;height:7px;background:#1976d2"></div>15</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="0 rows"><div style="width:22px;height:1px;background:#c62828"></div>0</td></tr></table></td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:bottom">gold_beta_with_a_long_name</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left"><table style="border-collapse:collapse"><tr><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="0 rows"><div style="width:22px;height:1px;background:#c62828"></div>0</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="4 rows"><div style="width:22px;height:40px;background:#1976d2"></div>4</td></tr></table></td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:bottom">gold_c</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left"><table style="border-collapse:collapse"><tr><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="0 rows"><div style="width:22px;height:1px;background:#c62828"></div>0</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="0 rows"><div style="width:22px;height:1px;background:#c62828"></div>0</td></tr></table></td></tr></table><p style="margin-top:20px;font-size:12px;color:#777">Run 00000000-0000-0000-0000-0000000000c1, started 2026-11-25 05:00:07 UTC by etl_user.</p></body></html>$gold$,
          'the html of the whole run is unchanged');

-- one job of the run
SELECT is((SELECT subject FROM t_gold WHERE part = 'job'),
$gold$[Feeds] FAILURE: run 2026-11-25 job gold_beta_with_a_long_name - 4 files, 1 failed, 11 rows loaded, 0 rejected$gold$,
          'the subject of one job of the run is unchanged');
SELECT is((SELECT body_text FROM t_gold WHERE part = 'job'),
$gold$Feeds run 2026-11-25 (cron), job gold_beta_with_a_long_name

Status: FAILURE — 4 files (1 loaded, 1 failed, 1 duplicate, 1 undone); rows: 14 read, 9 inserted, 2 updated, 0 rejected.

Files
job                         file                       status                   read  inserted   updated  rejected   duration
gold_beta_with_a_long_name  gold_b_<i>x</i> & 'q'.csv  failed                      3         0         0         0      0.5 s
gold_beta_with_a_long_name  gold_b_dup.csv             duplicate                   0         0         0         0      0.0 s
gold_beta_with_a_long_name  gold_b_undone.csv          undone                      7         7         0         0      2.0 s
gold_beta_with_a_long_name  gold_b_warn.csv            loaded                      4         2         2         0      1.0 s

Failures
gold_beta_with_a_long_name / gold_b_<i>x</i> & 'q'.csv: [22P04] extra data after last expected column
CONTEXT:	COPY load_42, line 3: "a,b,<c>"
    file now at: /tmp/proc/b.csv

Rows loaded, last 8 loads per job (oldest first)
gold_beta_with_a_long_name  ▁█  last 2 loads: 0 4 rows

Run 00000000-0000-0000-0000-0000000000c1, started 2026-11-25 05:00:07 UTC by etl_user.
$gold$,
          'the text of one job of the run is unchanged');
SELECT is((SELECT body_html FROM t_gold WHERE part = 'job'),
$gold$<!DOCTYPE html><html><body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;background:#ffffff"><h1 style="font-size:20px;margin:0 0 10px 0">Feeds run 2026-11-25 (cron), job gold_beta_with_a_long_name</h1><p style="margin:0 0 12px 0;padding:8px 12px;border-left:6px solid #c62828;background:#f7f7f7"><strong style="color:#c62828">FAILURE</strong> — 4 files (1 loaded, 1 failed, 1 duplicate, 1 undone); rows: 14 read, 9 inserted, 2 updated, 0 rejected.</p><h2 style="font-size:16px;margin:20px 0 6px 0;color:#333">Files</h2><table style="border-collapse:collapse;font-size:13px"><tr><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">job</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">file</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">status</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">read</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">inserted</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">updated</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">rejected</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">duration</th></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_beta_with_a_long_name</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_b_&lt;i&gt;x&lt;/i&gt; &amp; &#39;q&#39;.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#c62828;font-weight:bold">failed</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">3</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0.5 s</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_beta_with_a_long_name</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_b_dup.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#555;font-weight:bold">duplicate</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0.0 s</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_beta_with_a_long_name</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_b_undone.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#555;font-weight:bold">undone</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">7</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">7</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">2.0 s</td></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_beta_with_a_long_name</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_b_warn.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#2e7d32;font-weight:bold">loaded</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">4</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">2</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">2</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">1.0 s</td></tr></table><h2 style="font-size:16px;margin:20px 0 6px 0;color:#333">Failures</h2><ul style="padding-left:18px"><li style="margin-bottom:6px"><strong>gold_beta_with_a_long_name / gold_b_&lt;i&gt;x&lt;/i&gt; &amp; &#39;q&#39;.csv</strong>: <code style="background:#fdecea;padding:0 3px">22P04</code> extra data after last expected column
CONTEXT:	COPY load_42, line 3: &quot;a,b,&lt;c&gt;&quot;<br><span style="color:#555">file now at: /tmp/proc/b.csv</span></li></ul><h2 style="font-size:16px;margin:20px 0 6px 0;color:#333">Rows loaded, last 8 loads per job (oldest first)</h2><table style="border-collapse:collapse;font-size:13px"><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:bottom">gold_beta_with_a_long_name</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left"><table style="border-collapse:collapse"><tr><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="0 rows"><div style="width:22px;height:1px;background:#c62828"></div>0</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="4 rows"><div style="width:22px;height:40px;background:#1976d2"></div>4</td></tr></table></td></tr></table><p style="margin-top:20px;font-size:12px;color:#777">Run 00000000-0000-0000-0000-0000000000c1, started 2026-11-25 05:00:07 UTC by etl_user.</p></body></html>$gold$,
          'the html of one job of the run is unchanged');

-- a run started by a hostile user name
SELECT is((SELECT subject FROM t_gold WHERE part = 'hostile'),
$gold$[Feeds] success: run 2026-11-26 - 1 file, 0 failed, 99 rows loaded, 0 rejected$gold$,
          'the subject of a run started by a hostile user name is unchanged');
SELECT is((SELECT body_text FROM t_gold WHERE part = 'hostile'),
$gold$Feeds run 2026-11-26 (psql)

Status: success — 1 file (1 loaded); rows: 99 read, 99 inserted, 0 updated, 0 rejected.

Files
job     file              status                   read  inserted   updated  rejected   duration
gold_a  gold_a_later.csv  loaded                     99        99         0         0      9.0 s

Rows loaded, last 8 loads per job (oldest first)
gold_a  ▄▆▆▇▂▂▁█  last 8 loads: 49 70 77 84 10 15 0 99 rows

Run 00000000-0000-0000-0000-0000000000c2, started 2026-11-26 05:00:00 UTC by alice <a&b>.
$gold$,
          'the text of a run started by a hostile user name is unchanged');
SELECT is((SELECT body_html FROM t_gold WHERE part = 'hostile'),
$gold$<!DOCTYPE html><html><body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;background:#ffffff"><h1 style="font-size:20px;margin:0 0 10px 0">Feeds run 2026-11-26 (psql)</h1><p style="margin:0 0 12px 0;padding:8px 12px;border-left:6px solid #2e7d32;background:#f7f7f7"><strong style="color:#2e7d32">success</strong> — 1 file (1 loaded); rows: 99 read, 99 inserted, 0 updated, 0 rejected.</p><h2 style="font-size:16px;margin:20px 0 6px 0;color:#333">Files</h2><table style="border-collapse:collapse;font-size:13px"><tr><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">job</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">file</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">status</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">read</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">inserted</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">updated</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">rejected</th><th style="padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3">duration</th></tr><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left">gold_a_later.csv</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;color:#2e7d32;font-weight:bold">loaded</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">99</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">99</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">0</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:right">9.0 s</td></tr></table><h2 style="font-size:16px;margin:20px 0 6px 0;color:#333">Rows loaded, last 8 loads per job (oldest first)</h2><table style="border-collapse:collapse;font-size:13px"><tr><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:bottom">gold_a</td><td style="padding:4px 8px;border-bottom:1px solid #ddd;text-align:left"><table style="border-collapse:collapse"><tr><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="49 rows"><div style="width:22px;height:20px;background:#1976d2"></div>49</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="70 rows"><div style="width:22px;height:28px;background:#c62828"></div>70</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="77 rows"><div style="width:22px;height:31px;background:#1976d2"></div>77</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="84 rows"><div style="width:22px;height:34px;background:#1976d2"></div>84</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="10 rows"><div style="width:22px;height:4px;background:#1976d2"></div>10</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="15 rows"><div style="width:22px;height:6px;background:#1976d2"></div>15</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="0 rows"><div style="width:22px;height:1px;background:#c62828"></div>0</td><td style="vertical-align:bottom;text-align:center;padding:0 2px;font-size:10px;color:#555" title="99 rows"><div style="width:22px;height:40px;background:#1976d2"></div>99</td></tr></table></td></tr></table><p style="margin-top:20px;font-size:12px;color:#777">Run 00000000-0000-0000-0000-0000000000c2, started 2026-11-26 05:00:00 UTC by alice &lt;a&amp;b&gt;.</p></body></html>$gold$,
          'the html of a run started by a hostile user name is unchanged');

-- an empty run
SELECT is((SELECT subject FROM t_gold WHERE part = 'empty'),
$gold$[Feeds] success: run 2026-11-27 - no files$gold$,
          'the subject of an empty run is unchanged');
SELECT is((SELECT body_text FROM t_gold WHERE part = 'empty'),
$gold$Feeds run 2026-11-27 (cron)

Status: success — no files.

Run 00000000-0000-0000-0000-0000000000ce, started 2026-11-27 05:00:00 UTC by etl_user.
$gold$,
          'the text of an empty run is unchanged');
SELECT is((SELECT body_html FROM t_gold WHERE part = 'empty'),
$gold$<!DOCTYPE html><html><body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;background:#ffffff"><h1 style="font-size:20px;margin:0 0 10px 0">Feeds run 2026-11-27 (cron)</h1><p style="margin:0 0 12px 0;padding:8px 12px;border-left:6px solid #2e7d32;background:#f7f7f7"><strong style="color:#2e7d32">success</strong> — no files.</p><p style="margin-top:20px;font-size:12px;color:#777">Run 00000000-0000-0000-0000-0000000000ce, started 2026-11-27 05:00:00 UTC by etl_user.</p></body></html>$gold$,
          'the html of an empty run is unchanged');

SELECT * FROM finish();
ROLLBACK;
