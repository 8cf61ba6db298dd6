-- dba._draft_output: a draft as the lines of a reviewable SQL script, its dry run underneath.
CREATE OR REPLACE FUNCTION dba._draft_output(p_plan dba.draft_plan)
RETURNS SETOF text
LANGUAGE sql
VOLATILE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the rows of dba.draft_job() and dba.draft_job_from_sample():
     SELECT * FROM dba._draft_output(dba._draft_plan(…));
   What was inferred as comments, then BEGIN; the statements; COMMIT;, then the dry run
   (dba._draft_dry_run) as comments: the whole output runs as it is in psql.
*/
SELECT line FROM (
    SELECT 1 AS part, n, line FROM unnest(ARRAY[
        format('-- draft of job %s from %s (%s bytes; %s)', p_plan.job_name, p_plan.file_name, p_plan.file_size,
               CASE WHEN p_plan.sampled THEN format('sampled: %s whole lines from the first 128 KiB and 8 pieces spread over the rest', p_plan.sample_lines)
                    ELSE format('read whole: %s lines', p_plan.sample_lines) END),
        format('-- dialect: %s, line endings %s, delimiter %s, quote %s, %s', p_plan.encoding, p_plan.line_ending,
               CASE p_plan.delimiter WHEN E'\t' THEN 'tab' ELSE quote_literal(p_plan.delimiter) END, quote_literal(p_plan.quote_char),
               CASE WHEN p_plan.has_header THEN format('header on line %s', p_plan.skip_lines + 1)
                    ELSE 'no header' END || format(', %s line(s) skipped before it', p_plan.skip_lines))]
        || (SELECT coalesce(array_agg('-- ' || x), '{}') FROM unnest(p_plan.notes) x)
        || CASE WHEN p_plan.candidate_key IS NULL THEN '-- candidate key: none (no column is unique and never empty in the sample)'
                WHEN p_plan.load_mode = 'upsert' THEN format('-- key: %s (unique and never empty in the sample), upsert on it', p_plan.candidate_key)
                ELSE format('-- candidate key: %s (unique and never empty in the sample); --mode upsert (p_mode => ''upsert'') loads on it',
                            p_plan.candidate_key) END
        || '-- review this script, then run it: feeds job draft FILE --apply, or psql -f'::text
        || 'BEGIN;'::text) WITH ORDINALITY AS a(line, n)
    UNION ALL
    SELECT 2, s.n * 1000 + l.k, l.line || CASE WHEN l.k = l.k_max THEN ';' ELSE '' END
      FROM dba._draft_statements(p_plan) WITH ORDINALITY AS s(stmt, n),
           LATERAL (SELECT line, k, count(*) OVER () AS k_max
                      FROM regexp_split_to_table(s.stmt, E'\n') WITH ORDINALITY AS x(line, k)) l
    UNION ALL
    SELECT 3, 0, 'COMMIT;'
    UNION ALL
    SELECT 4, n, line FROM unnest(dba._draft_dry_run(p_plan)) WITH ORDINALITY AS d(line, n)
) o ORDER BY part, n
$function$;

ALTER FUNCTION dba._draft_output(dba.draft_plan) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._draft_output(dba.draft_plan) FROM PUBLIC;
COMMENT ON FUNCTION dba._draft_output(dba.draft_plan) IS
'Internal: a draft''s plan as script lines: what was inferred (comments), BEGIN, the statements of dba._draft_statements, COMMIT, and the dry run of dba._draft_dry_run (comments). Raises nothing.';
