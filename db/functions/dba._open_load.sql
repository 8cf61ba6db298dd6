-- dba._open_load: where a load's records come from, and its header, before the plan is compiled.
CREATE OR REPLACE FUNCTION dba._open_load(p_load_id bigint, p_cfg dba.timportconfig, p_way text, p_path text DEFAULT NULL)
RETURNS dba.load_source
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the first step of each way through a load (dba._load_fast_way, dba._process_load):
     SELECT (dba._open_load(42, c, 'direct path', '/srv/…/a.csv')).refusal FROM dba.timportconfig c WHERE …;
     SELECT (dba._open_load(42, c, 'full validation')).header FROM dba.timportconfig c WHERE …;
   Raises FD010 when the job's target table does not exist. With p_path (the direct path) the
   header is read from the file's first 64 kB and nothing is staged; refusal says why the direct
   path cannot read the file (lines to skip, a byte-order mark, no header line). Otherwise
   stage.load_<id> holds the lines: a UTF-8 byte-order mark is taken off the first line, records
   that span lines are joined (dba._join_records), quoted lines are marked for record_in when the
   delimiter and quote allow it, and the records after the header are counted. A missing or
   malformed header line is a layout error (layout), not a refusal.
*/
DECLARE
    v_src  dba.load_source;
    v_head bytea;
    v_nl   integer;
BEGIN
    IF to_regclass(p_cfg.target_table) IS NULL THEN
        RAISE EXCEPTION 'target table % of job % does not exist', p_cfg.target_table, p_cfg.job_name USING ERRCODE = 'FD010';
    END IF;
    v_src.way := p_way; v_src.path := p_path; v_src.layout := '{}'; v_src.record_in := false;
    v_src.header_line := p_cfg.skip_lines + CASE WHEN p_cfg.has_header THEN 1 ELSE 0 END;
    -- Quoted lines are read with record_in (C), much faster than splitting them in SQL
    -- (dba._split_line): a line in composite-literal syntax, ( f1,"f 2",… ), is read with the
    -- same quoting rules (a doubled quote is one) once backslashes and parentheses are escaped.
    -- The job's delimiter and quote are swapped with "," and '"' first, and back in each value.
    IF length(p_cfg.delimiter) = 1 AND length(p_cfg.quote_char) = 1
       AND NOT (p_cfg.delimiter IN ('\', '(', ')', '"') OR p_cfg.quote_char IN ('\', '(', ')', ',')) THEN
        -- (Staged lines: only when a line has a quote. On the direct path, for the lines it sets aside.)
        IF p_path IS NULL THEN
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM stage.%I WHERE strpos(raw, $1) > 0)', 'load_' || p_load_id)
               INTO v_src.record_in USING p_cfg.quote_char;
        ELSE
            v_src.record_in := true;
        END IF;
        SELECT ARRAY[string_agg(a, ''), string_agg(b, '')] INTO v_src.swap
          FROM (VALUES (p_cfg.delimiter, ','), (',', p_cfg.delimiter), (p_cfg.quote_char, '"'), ('"', p_cfg.quote_char)) x(a, b)
         WHERE a <> b;
    END IF;
    IF p_path IS NOT NULL THEN
        -- The caller knows the file reads through COPY as staging reads it (dba._take_fast_way);
        -- the header and a byte-order mark are in its first bytes.
        v_head := pg_read_binary_file(p_path, 0, 65536, false);
        v_nl := position('\x0a'::bytea IN v_head);
        v_src.refusal := CASE WHEN p_cfg.skip_lines > 0 THEN 'the job skips lines before the header'
                              WHEN substring(v_head FROM 1 FOR 3) = '\xefbbbf'::bytea THEN 'a byte-order mark'
                              WHEN p_cfg.has_header AND v_nl < 2 THEN 'no header line in the first 64 kB' END;
        IF p_cfg.has_header AND v_src.refusal IS NULL THEN
            v_src.header_raw := rtrim(convert_from(substring(v_head FROM 1 FOR v_nl - 1), p_cfg.encoding), E'\r');
            v_src.header := dba._split_line(v_src.header_raw, p_cfg.delimiter, p_cfg.quote_char);
        END IF;
        RETURN v_src;
    END IF;

    -- A UTF-8 byte-order mark (Excel's "CSV UTF-8" writes one) is not part of the first value.
    EXECUTE format('UPDATE stage.%I SET raw = substr(raw, 2) WHERE line_no = 1 AND left(raw, 1) = $1', 'load_' || p_load_id)
    USING U&'\FEFF';
    v_src.relation := dba._join_records(p_load_id, p_cfg);
    -- Rows read: every non-blank record after the header.
    EXECUTE format('SELECT count(*) FROM %s WHERE line_no > $1 AND raw IS NOT NULL', v_src.relation)
       INTO v_src.rows_read USING v_src.header_line;
    IF p_cfg.has_header THEN
        EXECUTE format('SELECT raw FROM %s WHERE line_no = $1', v_src.relation) INTO v_src.header_raw USING v_src.header_line;
        v_src.header := dba._split_line(v_src.header_raw, p_cfg.delimiter, p_cfg.quote_char);
        v_src.layout := CASE WHEN v_src.header_raw IS NULL
                             THEN ARRAY[format('%s: no header line (line %s is empty or missing; the file has no data)',
                                               (SELECT file_name FROM dba.tdataloads WHERE load_id = p_load_id), v_src.header_line)]
                             WHEN v_src.header IS NULL
                             THEN ARRAY[format('%s line %s: the header line is not valid delimited text (stray quote)',
                                               (SELECT file_name FROM dba.tdataloads WHERE load_id = p_load_id), v_src.header_line)]
                             ELSE '{}' END;
    END IF;
    RETURN v_src;
END
$function$;

ALTER FUNCTION dba._open_load(bigint, dba.timportconfig, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._open_load(bigint, dba.timportconfig, text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._open_load(bigint, dba.timportconfig, text, text) IS
'Internal: finds where a load reads its records (the file on the direct path; else the staged lines, a byte-order mark removed and records over several lines joined) and its header, as a dba.load_source with the records read, whether quoted lines are read with record_in, why the direct path cannot read the file (refusal) and the header''s layout errors. Raises FD010 when the job''s target table does not exist, and what reading the file raises.';
