-- dba._draft_plan: everything dba.draft_job() infers from a sample, as one value.
CREATE OR REPLACE FUNCTION dba._draft_plan(
    p_file_name text,
    p_file_size bigint,
    p_parts     bytea[],
    p_job       text DEFAULT NULL,
    p_table     text DEFAULT NULL,
    p_mode      text DEFAULT 'append',
    p_base_dir  text DEFAULT NULL
) RETURNS dba.draft_plan
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT (dba._draft_plan('orders_20261102.csv', 20, ARRAY[convert_to(E'id,amount\n1,2.5\n2,3\n', 'UTF8')])).*;
   p_parts: the bytes of dba.draft_sample_ranges(p_file_size), in order. Defaults: the job is
   named after the file (digits dropped), the table is public.<job>, the directories are under
   /srv/feeds/<job>. The file pattern is the name with its digits generalised (8 or more digits
   keep their count, e.g. a date; shorter runs become \d+).
   Raises 22023 for a bad job name, table name, mode or base directory, parts that are not the
   ranges of dba.draft_sample_ranges(p_file_size), a sample without a whole line, or upsert
   without a candidate key.
*/
DECLARE
    v   dba.draft_plan;
    d   record;
    c   record;
    v_stem text;
BEGIN
    IF p_file_name IS NULL OR p_file_name !~ '^[^/[:cntrl:]]+$' OR p_file_name ~ '^\.' THEN
        RAISE EXCEPTION 'draft: %: not a plain file name', quote_literal(p_file_name) USING ERRCODE = '22023';
    END IF;
    v.file_name := p_file_name;
    v.file_size := p_file_size;
    v.load_mode := coalesce(p_mode, 'append');
    IF v.load_mode NOT IN ('append', 'upsert', 'replace', 'replace_per_run') THEN
        RAISE EXCEPTION 'draft: unknown load mode %', quote_literal(p_mode)
              USING ERRCODE = '22023', HINT = 'Modes: append, upsert, replace, replace_per_run.';
    END IF;
    v_stem := regexp_replace(p_file_name, '(\.[A-Za-z0-9]{1,5})+$', '');
    v.job_name := coalesce(p_job, dba._draft_name(regexp_replace(v_stem, '[0-9]+', '', 'g'), 'draft_job'));
    IF v.job_name ~ '^[^a-z]' THEN
        v.job_name := 'job_' || v.job_name;
    END IF;
    IF v.job_name !~ '^[a-z][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'draft: job name % is not lower case letters, digits and underscores', quote_literal(v.job_name)
              USING ERRCODE = '22023';
    END IF;
    v.target_table := coalesce(p_table, 'public.' || v.job_name);
    IF v.target_table !~ '^[a-z_][a-z0-9_]{0,62}\.[a-z_][a-z0-9_]{0,62}$' THEN
        RAISE EXCEPTION 'draft: table % is not schema.table in lower case letters, digits and underscores', quote_literal(v.target_table)
              USING ERRCODE = '22023';
    END IF;
    v.base_dir := rtrim(coalesce(p_base_dir, '/srv/feeds/' || v.job_name), '/');
    IF v.base_dir !~ '^/' OR v.base_dir ~ '(^|/)\.\.(/|$)' OR v.base_dir ~ '[[:cntrl:]]' THEN
        RAISE EXCEPTION 'draft: base directory % must be absolute, without ..', quote_literal(p_base_dir) USING ERRCODE = '22023';
    END IF;
    v.file_type := CASE lower(substring(p_file_name FROM '\.([A-Za-z0-9]+)$'))
                       WHEN 'xls' THEN 'xls' WHEN 'xlsx' THEN 'xlsx' WHEN 'xlsm' THEN 'xlsx' WHEN 'xlsb' THEN 'xlsx'
                       WHEN 'ods' THEN 'xlsx' WHEN 'txt' THEN 'txt' ELSE 'csv' END;
    SELECT '^' || string_agg(CASE WHEN m[1] IS NULL THEN regexp_replace(m[2], '([^[:alnum:]_ -])', '\\\1', 'g')
                                  WHEN length(m[1]) >= 8 THEN format('\d{%s}', length(m[1])) ELSE '\d+' END, '' ORDER BY n) || '$'
      INTO v.file_pattern
      FROM regexp_matches(p_file_name, '([0-9]+)|([^0-9]+)', 'g') WITH ORDINALITY AS r(m, n);

    IF coalesce(cardinality(p_parts), 0) <> (SELECT count(*) FROM dba.draft_sample_ranges(p_file_size))
       OR EXISTS (SELECT 1 FROM unnest(p_parts) WITH ORDINALITY AS p(b, n)
                    JOIN (SELECT row_number() OVER () AS n, r.byte_count FROM dba.draft_sample_ranges(p_file_size) r) r USING (n)
                   WHERE p.b IS NULL OR length(p.b) > r.byte_count) THEN
        RAISE EXCEPTION 'draft: %: the parts are not the ranges of dba.draft_sample_ranges(%)', p_file_name, p_file_size
              USING ERRCODE = '22023', HINT = 'Send the bytes of each range it returns, in its order.';
    END IF;
    SELECT * INTO d FROM dba._draft_lines(p_parts, p_file_size);
    IF cardinality(d.lines) = 0 THEN
        RAISE EXCEPTION 'draft: %: no whole line in the sample (an empty file?)', p_file_name USING ERRCODE = '22023';
    END IF;
    v.encoding := d.encoding; v.line_ending := d.line_ending; v.lines := d.lines;
    v.sample_lines := cardinality(d.lines);
    v.sampled := (SELECT sum(length(b)) FROM unnest(p_parts) b) < p_file_size;
    SELECT * INTO d FROM dba._draft_dialect(v.lines);
    v.delimiter := d.delimiter; v.quote_char := d.quote_char; v.skip_lines := d.skip_lines; v.has_header := d.has_header;
    v.notes := d.notes;
    SELECT * INTO c FROM dba._draft_columns(
        p_lines => v.lines, p_delimiter => v.delimiter, p_quote => v.quote_char,
        p_first_data => v.skip_lines + CASE WHEN v.has_header THEN 2 ELSE 1 END,
        p_header => CASE WHEN v.has_header THEN dba._split_line(v.lines[v.skip_lines + 1], v.delimiter, v.quote_char) END,
        p_fields => CASE WHEN v.has_header THEN cardinality(dba._split_line(v.lines[v.skip_lines + 1], v.delimiter, v.quote_char))
                         ELSE d.fields END);
    v.columns := c.columns;
    v.candidate_key := c.candidate_key;
    IF v.load_mode = 'upsert' AND v.candidate_key IS NULL THEN
        RAISE EXCEPTION 'draft: %: no column is unique and never empty in the sample, so upsert has no key', p_file_name
              USING ERRCODE = '22023', HINT = 'Draft with --mode append, or add the key columns by hand.';
    END IF;
    v.key_columns := CASE WHEN v.load_mode = 'upsert' THEN ARRAY[v.candidate_key] ELSE '{}' END;
    RETURN v;
END
$function$;

ALTER FUNCTION dba._draft_plan(text, bigint, bytea[], text, text, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._draft_plan(text, bigint, bytea[], text, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._draft_plan(text, bigint, bytea[], text, text, text, text) IS
'Internal: infers a draft job from a sample (the parts of dba.draft_sample_ranges): dialect, columns, rules, candidate key, names, file pattern and directories, as a dba.draft_plan. Raises 22023 (bad name, table, mode or base directory; parts that are not the sample ranges; no whole line; upsert without a candidate key).';
