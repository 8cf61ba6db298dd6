-- dba._process_load: header check, validation, load and hook for one staged file.
CREATE OR REPLACE FUNCTION dba._process_load(
    p_load_id bigint, p_dry_run boolean DEFAULT false, p_path text DEFAULT NULL, p_one_pass boolean DEFAULT false)
RETURNS dba.tdataloads
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
SET DateStyle = 'ISO, MDY'
AS $function$
/*
   Internal; called by dba.run_import() and dba.finish_load() once stage.load_<id> holds the
   file's lines (line_no, raw). Steps 4-7 of a load:
     4. read the header and compile the job's plan for it once (dba._compile_plan(): per column
        its field, value, typed value, checks, the insert list; layout errors), then render the
        plan's SQL for the way the file goes
     5. validate every row, set-based: one INSERT … SELECT into dba.tloaderror for all rules
     6. load the valid rows by mode (append, upsert, replace, replace_per_run), keeping
        before-images in dba.tloadundo for dba.undo_load()
     7. run the post-load hook, record counts and status
   Layout problems (FD020, FD021) and a reject limit (FD030) do not raise: the file is marked
   failed and its reasons stay in dba.tloaderror. Anything else raises to the caller, which
   rolls the file back and records the SQLSTATE.

   Two faster ways for a clean file, tried first by dba._load_file(); each loads the file with
   one INSERT … SELECT that checks every value on the way with cheap exact tests: a number or
   date is taken only when PostgreSQL prints it back as exactly the text in the file, every rule
   of the job holds, and the count of fields is right. The first row that is not plainly valid
   raises (dba._direct_path_miss(), a cast, ON CONFLICT meeting a key twice); the caller rolls
   the attempt back and takes the full validation below, which names every failure. So a file
   loads the same whichever way it goes.
   - direct path (p_path given): nothing is staged; the file is read through file_fdw (COPY's own
     parser, streamed; COPY refuses a line with more or fewer fields). Only for files it reads
     exactly as staging does: no quote character, or only strict quoted lines with no field
     over two lines (dba._load_file checks, dba._strict_csv), no byte-order mark, no lines to
     skip, two to 1600 columns.
   - one pass (p_one_pass, the file staged): the staged lines are split as below and loaded.
   Both return NULL, having recorded why in dba.tdataloads.path_note (dba._leave_fast_way()),
   before doing anything, for a dry run, key columns outside upsert, AM/PM date
   formats, a date column with a time format, or a layout problem, and when the setting
   feeds.direct_path is off.
*/
DECLARE
    v_load      dba.tdataloads;
    v_cfg       dba.timportconfig;
    v_stage     text := format('stage.%I', 'load_' || p_load_id);
    v_target    regclass;
    v_hdr_line  bigint;
    v_hdr_raw   text;
    v_header    text[];
    v_n         integer;
    v_vals      text[] := '{}';
    v_tvals     text[] := '{}';
    v_vtab      text := format('stage.%I', 'load_' || p_load_id || '_v');
    v_mtab      text := format('stage.%I', 'load_' || p_load_id || '_m');
    v_multi     boolean;
    v_checks    text[] := '{}';
    v_conds     text[] := '{}';
    v_cond      text;
    v_ins_cols  text[] := '{}';
    v_ins_vals  text[] := '{}';
    v_key_vals  text[] := '{}';
    v_layout    text[] := '{}';
    v_from      text;
    v_src       text;
    v_valid     text;
    v_count_ok  text;
    v_read      bigint;
    v_rejected  bigint;
    v_inserted  bigint := 0;
    v_updated   bigint := 0;
    v_has_line  boolean;
    v_order     text;
    v_hook      regprocedure;
    v_direct    boolean := p_path IS NOT NULL;
    v_fast      boolean := p_path IS NOT NULL OR p_one_pass;
    v_count_op  text;
    v_composite boolean := false;
    v_rtype     text := format('stage.%I', 'load_' || p_load_id || '_r');
    v_swap      text[];
    v_line_re   text;
    v_rec_sql   text;
    v_split     text;
    v_head      bytea;
    v_nl        integer;
    v_dvals     text[] := '{}';
    v_ivals     text[] := '{}';
    v_dtyped    text[] := '{}';
    v_dchecks   text[] := '{}';
    v_dconds    text[] := '{}';
    v_ftab      text := format('stage.%I', 'load_' || p_load_id || '_f');
    v_rows      text;
    v_load_expr text := p_load_id || '::bigint';
    v_plan      record;
    v_flags     text[];       -- the work table's flag columns, one per check (e1, e2, …)
    v_work      bigint;
    v_en        boolean;      -- quoted_empty empty_string: an unquoted empty field is NULL, "" is ''
    v_sa        text;         -- the staged line split without quotes (string_to_array)
    v_sl        text;         -- … and with quotes (dba._split_line)
    v_rc        text;         -- a field of the record read by record_in       -- dba.load_plan (declared later in sqitch.plan than this function)
    v_way       text := CASE WHEN p_path IS NOT NULL THEN 'direct path' ELSE 'one pass' END;
BEGIN
    SELECT * INTO STRICT v_load FROM dba.tdataloads WHERE load_id = p_load_id;
    SELECT * INTO STRICT v_cfg FROM dba.timportconfig WHERE config_id = v_load.config_id;
    v_target := to_regclass(v_cfg.target_table);
    IF v_target IS NULL THEN
        RAISE EXCEPTION 'target table % of job % does not exist', v_cfg.target_table, v_cfg.job_name
              USING ERRCODE = 'FD010';
    END IF;
    v_hdr_line := v_cfg.skip_lines + CASE WHEN v_cfg.has_header THEN 1 ELSE 0 END;
    v_en := v_cfg.quoted_empty = 'empty_string';
    v_sa := format('string_to_array(raw, %L%s)', v_cfg.delimiter, CASE WHEN v_en THEN ', ''''' ELSE '' END);
    v_sl := format('dba._split_line(raw, %L, %L%s)', v_cfg.delimiter, v_cfg.quote_char, CASE WHEN v_en THEN ', true' ELSE '' END);

    IF v_fast AND (p_dry_run OR lower(coalesce(current_setting('feeds.direct_path', true), '')) IN ('off', 'false', '0', 'no')
                   OR (cardinality(v_cfg.key_columns) > 0 AND v_cfg.load_mode <> 'upsert')) THEN
        RETURN dba._leave_fast_way(p_load_id, v_way,
                                   CASE WHEN p_dry_run THEN 'a dry run'
                                        WHEN cardinality(v_cfg.key_columns) > 0 AND v_cfg.load_mode <> 'upsert'
                                        THEN 'key columns outside upsert (duplicate keys need the job''s policy)'
                                        ELSE 'feeds.direct_path is off' END);
    END IF;

    IF v_direct THEN
        -- Only files the direct path reads exactly as staging does (see above).
        IF v_cfg.skip_lines > 0 THEN
            RETURN dba._leave_fast_way(p_load_id, v_way, 'the job skips lines before the header');
        END IF;
        -- The caller knows the file has no quote character (dba._load_file's p_quote_free); the
        -- header and a byte-order mark are in its first bytes.
        v_head := pg_read_binary_file(p_path, 0, 65536, false);
        IF substring(v_head FROM 1 FOR 3) = '\xefbbbf'::bytea THEN
            RETURN dba._leave_fast_way(p_load_id, v_way, 'a byte-order mark');
        END IF;
        IF v_cfg.has_header THEN
            v_nl := position('\x0a'::bytea IN v_head);
            IF v_nl < 2 THEN
                RETURN dba._leave_fast_way(p_load_id, v_way, 'no header line in the first 64 kB');
            END IF;
            v_hdr_raw := rtrim(convert_from(substring(v_head FROM 1 FOR v_nl - 1), v_cfg.encoding), E'\r');
            v_header := dba._split_line(v_hdr_raw, v_cfg.delimiter, v_cfg.quote_char);
        END IF;
        v_head := NULL;
    ELSE
        -- A UTF-8 byte-order mark (Excel's "CSV UTF-8" writes one) is not part of the first value.
        EXECUTE format('UPDATE %s SET raw = substr(raw, 2) WHERE line_no = 1 AND left(raw, 1) = $1', v_stage)
        USING U&'\FEFF';

        -- Quoted fields may span lines (a line break inside an Excel cell): when any line has an odd
        -- number of quote characters, lines are joined into records by the running quote parity,
        -- set-based; a record keeps the number of the line it starts on. Files without such lines
        -- skip this (one cheap scan).
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE (length(raw) - length(replace(raw, $1, ''''))) %% 2 = 1)', v_stage)
           INTO v_multi USING v_cfg.quote_char;
        -- Quoted lines are read with record_in (C), much faster than splitting them in SQL
        -- (dba._split_line): a line in composite-literal syntax, ( f1,"f 2",… ), is read with the
        -- same quoting rules (a doubled quote is one) once backslashes and parentheses are
        -- escaped. The job's delimiter and quote are swapped with "," and '"' first, and back in
        -- each value. Only lines that split by RFC 4180 (the regex dba._split_line requires).
        IF length(v_cfg.delimiter) = 1 AND length(v_cfg.quote_char) = 1
           AND NOT (v_cfg.delimiter IN ('\', '(', ')', '"') OR v_cfg.quote_char IN ('\', '(', ')', ',')) THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE strpos(raw, $1) > 0)', v_stage) INTO v_composite USING v_cfg.quote_char;
            SELECT ARRAY[string_agg(a, ''), string_agg(b, '')] INTO v_swap
              FROM (VALUES (v_cfg.delimiter, ','), (',', v_cfg.delimiter), (v_cfg.quote_char, '"'), ('"', v_cfg.quote_char)) x(a, b)
             WHERE a <> b;
        END IF;
        IF v_multi THEN
            EXECUTE format($m$
                CREATE UNLOGGED TABLE %1$s AS
                SELECT min(line_no) AS line_no,
                       CASE WHEN count(*) = 1 THEN max(raw) ELSE string_agg(coalesce(raw, ''), sep ORDER BY line_no) END AS raw
                  FROM (SELECT line_no, raw, sep, count(*) FILTER (WHERE starts) OVER (ORDER BY line_no) AS rec
                          FROM (SELECT line_no, raw, coalesce(lag(eol) OVER (ORDER BY line_no), E'\n') AS sep,
                                       coalesce(sum(odd) OVER (ORDER BY line_no ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) %% 2 = 0 AS starts
                                  FROM (SELECT line_no, raw, %4$s AS eol, (length(raw) - length(replace(raw, %2$L, ''))) %% 2 AS odd FROM %3$s) a) b) c
                 GROUP BY rec
                $m$, v_mtab, v_cfg.quote_char, v_stage,
                -- Lines are joined again with their own ending (server staging keeps it; a
                -- client's staging table has none: LF).
                CASE WHEN EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = v_stage::regclass AND attname = 'eol' AND NOT attisdropped)
                     THEN 'eol' ELSE 'NULL::text' END);
            v_stage := v_mtab;
        END IF;

        -- Rows read: every non-blank record after the header.
        EXECUTE format('SELECT count(*) FROM %s WHERE line_no > $1 AND raw IS NOT NULL', v_stage)
           INTO v_read USING v_hdr_line;

        ------------------------------------------------------------------ 4. header
        IF v_cfg.has_header THEN
            EXECUTE format('SELECT raw FROM %s WHERE line_no = $1', v_stage) INTO v_hdr_raw USING v_hdr_line;
            IF v_hdr_raw IS NULL THEN
                v_layout := v_layout || format('%s: no header line (line %s is empty or missing; the file has no data)',
                                               v_load.file_name, v_hdr_line);
            ELSE
                v_header := dba._split_line(v_hdr_raw, v_cfg.delimiter, v_cfg.quote_char);
                IF v_header IS NULL THEN
                    v_layout := v_layout || format('%s line %s: the header line is not valid delimited text (stray quote)',
                                                   v_load.file_name, v_hdr_line);
                END IF;
            END IF;
        END IF;
    END IF;
    ------------------------------------------------------------------ the plan, once
    v_plan := dba._compile_plan(v_cfg, v_load.file_name, v_header);
    IF cardinality(v_layout) = 0 THEN
        v_layout := v_plan.layout;
    END IF;
    -- Full validation keeps each row's values, typed values and one flag per check in a work
    -- table (stage.load_<id>_v): PostgreSQL's 1600 columns bound the job there, not the file.
    SELECT 5 + 2 * cardinality(v_plan.columns) + count(*) INTO v_work FROM unnest(v_plan.columns) c, unnest(c.checks);
    IF NOT v_fast AND cardinality(v_layout) = 0 AND v_work > 1600 THEN
        v_layout := ARRAY[format('%s: the job maps %s columns; validating a row needs %s columns, more than PostgreSQL''s limit of 1600',
                                 v_load.file_name, cardinality(v_plan.columns), v_work)];
    END IF;
    v_n := v_plan.n_fields;
    IF v_fast AND cardinality(v_layout) = 0 AND v_plan.fast_refusal IS NOT NULL THEN
        IF v_multi THEN EXECUTE format('DROP TABLE %s', v_mtab); END IF;
        RETURN dba._leave_fast_way(p_load_id, v_way, v_plan.fast_refusal);
    END IF;

    IF cardinality(v_layout) > 0 AND v_fast THEN
        -- The joined records go with the attempt: full validation joins them again and reports
        -- the header error.
        IF v_multi THEN EXECUTE format('DROP TABLE %s', v_mtab); END IF;
        RETURN dba._leave_fast_way(p_load_id, v_way, 'a layout error');
    ELSIF cardinality(v_layout) > 0 THEN
        INSERT INTO dba.tloaderror (load_id, line_no, column_name, raw_value, rule, message, raw_line)
        SELECT p_load_id, CASE WHEN v_cfg.has_header THEN v_hdr_line END, NULL, NULL, 'header', m, v_hdr_raw
          FROM unnest(v_layout) m;
        -- refused before any row was read: no row counts as read or rejected (dba.load_outcome
        -- shows 'file refused: layout')
        RETURN dba._set_outcome(p_load_id, 'failed', 0, 0, 0, 0,
                                CASE WHEN v_hdr_raw IS NULL AND v_cfg.has_header THEN 'FD021' ELSE 'FD020' END,
                                'layout error: ' || array_to_string(v_layout, '; '));
    END IF;

    -- The plan rendered as SQL: values (vK), typed values (tK), the fast ways' ISO text of dates
    -- in other formats (iK), typed values and print-back checks, the insert list and the key.
    v_has_line := v_plan.has_line;
    v_count_op := v_plan.count_op;
    SELECT array_agg(format('%s AS v%s', format(c.value_tpl, format('s.f[%s]', c.field)), c.k) ORDER BY c.k),
           array_agg(format('%s AS t%s', c.typed_sql, c.k) ORDER BY c.k),
           array_agg(format('%s AS t%s', c.fast_typed_sql, c.k) ORDER BY c.k),
           coalesce(array_agg(format('%s AS i%s', c.fast_iso_sql, c.k) ORDER BY c.k) FILTER (WHERE c.fast_iso_sql IS NOT NULL), '{}'),
           coalesce(array_agg(c.fast_check ORDER BY c.k) FILTER (WHERE c.fast_check IS NOT NULL), '{}'),
           array_agg(c.target ORDER BY c.k),
           array_agg('s.t' || c.k ORDER BY c.k),
           coalesce(array_agg('s.t' || c.k ORDER BY c.k) FILTER (WHERE c.is_key), '{}')
      INTO v_vals, v_tvals, v_dtyped, v_ivals, v_dchecks, v_ins_cols, v_ins_vals, v_key_vals
      FROM unnest(v_plan.columns) c;
    -- Checks: each rule's failure is one boolean column (c.e1, c.e2, …) computed once per row;
    -- v_checks holds (column, raw value, rule, message, that column) for the rows that fail.
    SELECT coalesce(array_agg(x.cond ORDER BY x.n), '{}'),
           coalesce(array_agg(format('(%L, c.v%s, %L, %L, c.e%s)', x.label, x.k, x.rule, x.message, x.n) ORDER BY x.n), '{}'),
           coalesce(array_agg(format('NOT coalesce(%s, false)', x.cond) ORDER BY x.n) FILTER (WHERE x.fast), '{}')
      INTO v_conds, v_checks, v_dconds
      FROM (SELECT c.k, c.label, ch.*, row_number() OVER (ORDER BY c.k, ch.o) AS n
              FROM unnest(v_plan.columns) c CROSS JOIN LATERAL unnest(c.checks) WITH ORDINALITY ch(rule, message, cond, fast, o)) x;

    -- A composite type has at most 1600 columns: wider lines are split by dba._split_line().
    v_composite := v_composite AND v_n <= 1600;
    v_rc := CASE WHEN v_en THEN '(r).c%s' ELSE 'coalesce((r).c%s, '''')' END;
    IF v_swap[1] IS NOT NULL THEN
        v_rc := format('translate(%s, %L, %L)', v_rc, v_swap[1], v_swap[2]);
    END IF;
    -- The fast ways' values: from the foreign table (direct path), the record read by record_in
    -- (quoted lines) or the split line.
    SELECT array_agg(format('%s AS v%s', format(c.fast_value_tpl, format(
                         CASE WHEN v_direct THEN 's.c%s' WHEN NOT v_composite THEN 's.f[%s]' ELSE replace(v_rc, '(r)', '(s.r)') END,
                         c.field)), c.k) ORDER BY c.k)
      INTO v_dvals
      FROM unnest(v_plan.columns) c;
    IF v_composite THEN
        EXECUTE format('CREATE TYPE %s AS (%s)', v_rtype,
                       (SELECT string_agg(format('c%s text', n), ', ') FROM generate_series(1, v_n) n));
        v_rec_sql := format('(''('' || replace(replace(replace(%s, ''\'', ''\\''), ''('', ''\(''), '')'', ''\)'') || '')'')::%s',
                            CASE WHEN v_swap[1] IS NULL THEN 'raw' ELSE format('translate(raw, %L, %L)', v_swap[1], v_swap[2]) END,
                            v_rtype);
        v_line_re := format('^(?:%1$s(?:[^%1$s]|%1$s%1$s)*%1$s|[^%1$s%2$s]*)(?:%2$s(?:%1$s(?:[^%1$s]|%1$s%1$s)*%1$s|[^%1$s%2$s]*))*$',
                            regexp_replace(v_cfg.quote_char, '([^[:alnum:]])', '\\\1'),
                            regexp_replace(v_cfg.delimiter, '([^[:alnum:]])', '\\\1'));
    END IF;

    IF v_fast THEN
        ------------------------------------------------------------------ 5-6. direct path, one pass
        IF v_direct THEN
            IF v_n < 2 OR v_n > 1600 THEN
                -- With one column a blank line is a value to COPY, not an error; a foreign table
                -- has at most 1600 columns.
                RETURN dba._leave_fast_way(p_load_id, v_way, format('%s columns', v_n));
            END IF;
            -- COPY's parser over the file, streamed. An empty field, quoted or not, is an empty
            -- string (force_not_null), as the staged path reads it; null markers apply after.
            -- With quoted_empty empty_string, COPY's own reading: unquoted empty NULL, "" ''.
            EXECUTE format('CREATE FOREIGN TABLE %s (%s) SERVER feeds_files
                            OPTIONS (filename %L, format ''csv'', header %L, delimiter %L, quote %L, encoding %L)',
                           v_ftab, (SELECT string_agg(format('c%s text%s', n, CASE WHEN NOT v_en THEN ' OPTIONS (force_not_null ''true'')' END), ', ')
                                      FROM generate_series(1, v_n) n),
                           p_path, v_cfg.has_header::text, v_cfg.delimiter, v_cfg.quote_char, v_cfg.encoding);
            v_from := format('%s%s FROM %s s',
                             CASE WHEN v_has_line THEN format('row_number() OVER () + %s AS line_no, ', v_hdr_line) ELSE '' END,
                             array_to_string(v_dvals, ', '), v_ftab);
        ELSIF v_composite THEN
            -- Quoted lines (see above); a malformed one ends the attempt, and record_in raises on
            -- a wrong number of fields.
            v_from := format('s.line_no, %s FROM (SELECT line_no, %s AS r FROM %s WHERE line_no > %s AND raw IS NOT NULL
                                                     AND CASE WHEN strpos(raw, %L) = 0 OR raw ~ %L THEN true ELSE dba._direct_path_miss() IS NULL END
                                                  OFFSET 0) s',
                             array_to_string(v_dvals, ', '), v_rec_sql, v_stage, v_hdr_line, v_cfg.quote_char, v_line_re);
        ELSE
            -- The staged lines, split as the full validation splits them; a line that does not
            -- split (stray quote) or has the wrong number of fields ends the attempt.
            v_from := format('s.line_no, %s FROM (SELECT line_no, CASE WHEN strpos(raw, %s) = 0 THEN %s ELSE %s END AS f
                                                    FROM %s WHERE line_no > %s AND raw IS NOT NULL OFFSET 0) s
                              WHERE CASE WHEN coalesce(cardinality(s.f) %s %s, false) THEN true ELSE dba._direct_path_miss() IS NULL END',
                             array_to_string(v_dvals, ', '), quote_literal(v_cfg.quote_char), v_sa, v_sl,
                             v_stage, v_hdr_line, v_count_op, v_n);
        END IF;
        -- Values (vK), ISO text of dates in other formats (iK), typed values (tK): each computed
        -- once per row.
        v_rows := format('(SELECT s.*, %s FROM %s OFFSET 0) s', array_to_string(v_dtyped, ', '),
                         CASE WHEN cardinality(v_ivals) = 0 THEN format('(SELECT %s OFFSET 0) s', v_from)
                              ELSE format('(SELECT s.*, %s FROM (SELECT %s OFFSET 0) s OFFSET 0) s',
                                          array_to_string(v_ivals, ', '), v_from) END);
        -- A row loads with the load id when every check holds; any other row ends the attempt.
        SELECT format('CASE WHEN %s THEN %s::bigint ELSE dba._direct_path_miss() END',
                      coalesce(string_agg(c, ' AND '), 'true'), p_load_id)
          INTO v_load_expr
          FROM unnest(v_dchecks || v_dconds) c;
        v_valid := 'true';
        v_order := '';
    ELSE
        ------------------------------------------------------------------ 5. validate, set-based
        -- OFFSET 0 keeps the planner from flattening the subqueries: each line is split once and
        -- each value computed once, however many rules refer to it. Lines without a quote take
        -- string_to_array() (C speed); only quoted lines go through dba._split_line().
        -- Quoted lines: well formed with the expected number of fields (counted with the quoted
        -- parts taken out) through record_in (see above), any other through dba._split_line().
        v_split := format('(SELECT line_no, raw, CASE WHEN strpos(raw, %2$L) = 0 THEN %5$s ELSE %6$s END AS f FROM %3$s WHERE line_no > %4$s AND raw IS NOT NULL OFFSET 0)',
                          v_cfg.delimiter, v_cfg.quote_char, v_stage, v_hdr_line, v_sa, v_sl);
        IF v_composite THEN
            v_split := format($s$(SELECT line_no, raw, CASE WHEN strpos(raw, %2$L) = 0 THEN %10$s
                                                           WHEN NOT (r IS NULL) THEN ARRAY[%5$s]
                                                           ELSE %11$s END AS f
                                   FROM (SELECT line_no, raw,
                                                CASE WHEN strpos(raw, %2$L) > 0 AND raw ~ %6$L
                                                      AND cardinality(string_to_array(regexp_replace(raw, %7$L, '', 'g'), %1$L)) = %8$s
                                                     THEN %9$s END AS r
                                           FROM %3$s WHERE line_no > %4$s AND raw IS NOT NULL OFFSET 0) s OFFSET 0)$s$,
                              v_cfg.delimiter, v_cfg.quote_char, v_stage, v_hdr_line,
                              (SELECT string_agg(format(v_rc, n), ', ') FROM generate_series(1, v_n) n),
                              v_line_re,
                              format('%1$s(?:[^%1$s]|%1$s%1$s)*%1$s', regexp_replace(v_cfg.quote_char, '([^[:alnum:]])', '\\\1')),
                              v_n, v_rec_sql, v_sa, v_sl);
        END IF;
        v_from := format('(SELECT s.*, %3$s FROM (SELECT s.line_no, s.raw, s.f, %2$s FROM %1$s s OFFSET 0) s OFFSET 0) s',
                         v_split, array_to_string(v_vals, ', '), array_to_string(v_tvals, ', '));
        v_count_ok := format('cardinality(s.f) %s %s', v_count_op, v_n);
        -- Every rule of every row in one pass: the failures are boolean columns; only rows with a
        -- failure are expanded into one dba.tloaderror row per broken rule.
        SELECT string_agg(format('coalesce(%s AND (%s), false) AS e%s', v_count_ok, c, n), ', ' ORDER BY n),
               coalesce(array_agg('e' || n ORDER BY n), '{}')
          INTO v_cond, v_flags
          FROM unnest(v_conds) WITH ORDINALITY AS u(c, n);
        -- The file's rows, once: values, typed values and one flag per rule, in an unlogged table
        -- that the error, duplicate-key and load steps read without computing anything again.
        EXECUTE format('CREATE UNLOGGED TABLE %1$s AS
                        SELECT s.line_no, s.raw, cardinality(s.f) AS nf, %2$s, %3$s,
                               s.f IS NULL AS e_syntax, coalesce(NOT (%4$s), false) AS e_count%5$s
                          FROM %6$s',
                       v_vtab, (SELECT string_agg('s.v' || n, ', ') FROM generate_series(1, cardinality(v_vals)) n),
                       (SELECT string_agg('s.t' || n, ', ') FROM generate_series(1, cardinality(v_vals)) n),
                       v_count_ok, coalesce(', ' || v_cond, ''), v_from);
        IF v_composite THEN
            EXECUTE format('DROP TYPE %s', v_rtype);
        END IF;
        PERFORM dba._record_rejects(p_load_id, v_load.file_name, v_vtab::regclass, v_n, v_checks, v_flags);

        v_valid := format('NOT (s.e_syntax OR s.e_count%s)', (SELECT string_agg(' OR s.' || f, '') FROM unnest(v_flags) f));

        -- The same key twice in the file: reject every such row, or keep the first/last.
        IF cardinality(v_key_vals) > 0 AND v_cfg.duplicate_key_policy = 'reject' THEN
            EXECUTE format($q$
                INSERT INTO dba.tloaderror (load_id, line_no, column_name, raw_value, rule, message, raw_line)
                SELECT $1, d.line_no, NULL, d.k, 'duplicate_key',
                       format('%%s line %%s: key (%%s) appears on lines %%s; rejected (duplicate_key_policy reject)', $2, d.line_no,
                              d.k, d.lines), d.raw
                  FROM (SELECT s.line_no, s.raw, concat_ws(', ', %1$s) AS k,
                               string_agg(s.line_no::text, ', ') OVER (PARTITION BY %1$s) AS lines,
                               count(*) OVER (PARTITION BY %1$s) AS n
                          FROM %2$s WHERE %3$s) d
                 WHERE d.n > 1
                $q$, array_to_string(v_key_vals, ', '), v_vtab || ' s', v_valid)
            USING p_load_id, v_load.file_name;
            v_valid := v_valid || format(' AND NOT EXISTS (SELECT 1 FROM dba.tloaderror e WHERE e.load_id = %s AND e.line_no = s.line_no)',
                                         p_load_id);
        END IF;

        SELECT count(DISTINCT line_no) INTO v_rejected FROM dba.tloaderror WHERE load_id = p_load_id;
        PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                        p_level => CASE WHEN v_rejected > 0 THEN 'warning' ELSE 'info' END,
                        p_message => format('%s: validated %s rows, %s rejected', v_load.file_name, v_read, v_rejected));

        IF (v_cfg.max_rejects IS NOT NULL AND v_rejected > v_cfg.max_rejects)
           OR (v_cfg.max_reject_ratio IS NOT NULL AND v_read > 0 AND v_rejected::numeric / v_read > v_cfg.max_reject_ratio) THEN
            RETURN dba._set_outcome(p_load_id, 'failed', v_read, 0, 0, v_rejected, 'FD030',
                                    format('%s: %s of %s rows rejected, over the job''s limit (%s); nothing was loaded',
                                           v_load.file_name, v_rejected, v_read,
                                           concat_ws(', ', 'max ' || v_cfg.max_rejects, 'ratio ' || v_cfg.max_reject_ratio)));
        END IF;

        IF p_dry_run THEN
            v_load.rows_read := v_read;
            v_load.rows_rejected := v_rejected;
            v_load.rows_inserted := v_read - v_rejected;
            EXECUTE format('DROP TABLE %s', v_vtab);
            IF v_multi THEN EXECUTE format('DROP TABLE %s', v_mtab); END IF;
            RETURN v_load;
        END IF;
        v_rows := v_vtab || ' s';
        v_order := CASE WHEN cardinality(v_key_vals) > 0 AND v_cfg.duplicate_key_policy <> 'reject'
                        THEN format('DISTINCT ON (%s) ', array_to_string(v_key_vals, ', ')) ELSE '' END;
    END IF;

    ------------------------------------------------------------------ 6. load by mode
    v_src := format('SELECT %s%s, %s%s FROM %s WHERE %s%s', v_order, array_to_string(v_ins_vals, ', '), v_load_expr,
                    CASE WHEN v_has_line THEN ', s.line_no' ELSE '' END, v_rows, v_valid,
                    CASE WHEN v_order <> '' THEN format(' ORDER BY %s, s.line_no %s', array_to_string(v_key_vals, ', '),
                                                        CASE v_cfg.duplicate_key_policy WHEN 'last_wins' THEN 'DESC' ELSE 'ASC' END)
                         ELSE '' END);
    v_ins_cols := v_ins_cols || 'load_id'::text;
    IF v_has_line THEN
        v_ins_cols := v_ins_cols || 'line_no'::text;
    END IF;

    -- replace_per_run is emptied once per run, by dba._load_file, before the run's first file.
    SELECT l.inserted, l.updated INTO v_inserted, v_updated
      FROM dba._load_rows(p_load_id, v_cfg, v_target, v_src, v_ins_cols) l;
    IF v_fast THEN
        -- Every row was valid (or the attempt would have ended): all of them are in.
        v_read := v_inserted + v_updated;
        v_rejected := 0;
        PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                        p_message => format('%s: validated %s rows, 0 rejected (%s)', v_load.file_name, v_read,
                                            CASE WHEN v_direct THEN 'direct path' ELSE 'one pass' END));
    END IF;

    PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                    p_message => format('%s: %s into %s: %s inserted, %s updated', v_load.file_name, v_cfg.load_mode,
                                        v_target, v_inserted, v_updated));

    ------------------------------------------------------------------ 7. hook, counts, status
    IF v_cfg.post_load_hook IS NOT NULL THEN
        v_hook := to_regprocedure(v_cfg.post_load_hook || '(bigint)');
        IF v_hook IS NULL THEN
            RAISE EXCEPTION 'post-load hook %(bigint) of job % does not exist', v_cfg.post_load_hook, v_cfg.job_name
                  USING ERRCODE = 'FD010';
        END IF;
        EXECUTE format('SELECT %s($1)', v_hook::regproc) USING p_load_id;
        PERFORM dba.log(p_run_uuid => v_load.run_uuid, p_process_type => 'run_import', p_load_id => p_load_id,
                        p_message => format('%s: post-load hook %s done', v_load.file_name, v_hook::regproc));
    END IF;

    RETURN dba._set_outcome(p_load_id, CASE WHEN v_rejected > 0 THEN 'loaded_with_rejects' ELSE 'loaded' END,
                            v_read, v_inserted, v_updated, v_rejected);
END
$function$;

ALTER FUNCTION dba._process_load(bigint, boolean, text, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._process_load(bigint, boolean, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._process_load(bigint, boolean, text, boolean) IS
'Internal: checks the header, validates (set-based), loads by mode and runs the hook for a staged load; marks layout errors (FD020/FD021) and reject-limit failures (FD030) as failed without raising. Other errors (e.g. FD010, casts the target refuses) raise to the caller. With p_path (direct path, no staging) or p_one_pass (the staged lines): loads in one pass, raising FD098 or any error when a row is not plainly valid, NULL when the file does not qualify.';
