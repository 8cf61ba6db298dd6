-- dba._draft_dialect: delimiter, quote, preamble and header of a sample's lines.
CREATE OR REPLACE FUNCTION dba._draft_dialect(p_lines text[],
                                              OUT delimiter text, OUT quote_char text, OUT skip_lines integer,
                                              OUT has_header boolean, OUT fields integer, OUT notes text[])
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT * FROM dba._draft_dialect(ARRAY['Report of May', 'id;when', '1;02/05/2026', '2;03/05/2026']);
     -- ; | " | 1 | t | 2 | {…}
   Set-based over the records (dba._draft_records: a quoted field may span lines):
   - delimiter: of , ; tab |, the one whose most common field count (above 1) is shared by the
     most lines (ties: that order);
   - quote: " unless no line has one and single-quoted fields are common;
   - skip_lines: the lines before the first one with that field count (a preamble);
   - header: the columns whose values look typed (numbers, dates) vote: a first line that is not
     typed there is a header, one that is typed is data. All-text columns cannot tell: a header
     is assumed, and said so in notes.
*/
DECLARE
    c_typed CONSTANT text := '^[+-]?[0-9]+([.,][0-9]+)?$|^[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}';
    v_votes integer;
    v_voters integer;
    v_recs   text[];
    v_nums   bigint[];
BEGIN
    notes := '{}';
    SELECT array_agg(record ORDER BY line_no), array_agg(line_no ORDER BY line_no) INTO v_recs, v_nums
      FROM dba._draft_records(p_lines, '"');
    SELECT d.d, d.k INTO delimiter, fields
      FROM (SELECT c.d, c.pref, cardinality(CASE WHEN strpos(l.line, '"') = 0 THEN string_to_array(l.line, c.d)
                                                      ELSE coalesce(dba._split_line(l.line, c.d, '"'), string_to_array(l.line, c.d)) END) AS k, count(*) AS n
              FROM unnest(v_recs) AS l(line),
                   unnest(ARRAY[',', ';', E'\t', '|']) WITH ORDINALITY AS c(d, pref)
             GROUP BY 1, 2, 3) d
     WHERE d.k > 1
     ORDER BY d.n DESC, d.pref, d.k DESC
     LIMIT 1;
    IF delimiter IS NULL THEN
        delimiter := ','; fields := 1;
        notes := notes || 'no delimiter (, ; tab |) splits the lines: one column'::text;
    END IF;
    quote_char := CASE
        WHEN array_to_string(p_lines, E'\n') !~ '"'
             AND (SELECT count(*) FILTER (WHERE l ~ format('(^|%1$s)''[^'']*''(%1$s|$)', regexp_replace(delimiter, '([^[:alnum:]])', '\\\1')))
                         * 2 >= count(*)
                    FROM unnest(p_lines) l WHERE btrim(coalesce(l, '')) <> '')
        THEN '''' ELSE '"' END;
    IF quote_char <> '"' THEN
        SELECT array_agg(record ORDER BY line_no), array_agg(line_no ORDER BY line_no) INTO v_recs, v_nums
          FROM dba._draft_records(p_lines, quote_char);
    END IF;

    -- Field counts with the quote honoured, from here on.
    SELECT min(n) - 1 INTO skip_lines
      FROM unnest(v_recs, v_nums) AS u(line, n)
     WHERE cardinality(CASE WHEN strpos(line, quote_char) = 0 THEN string_to_array(line, delimiter)
                            ELSE dba._split_line(line, delimiter, quote_char) END) = fields;
    skip_lines := coalesce(skip_lines, 0);
    IF skip_lines > 0 THEN
        notes := notes || format('%s line(s) before the header skipped (a preamble): %s', skip_lines,
                                 quote_literal(left(p_lines[1], 60)));
    END IF;

    WITH r AS MATERIALIZED (
        SELECT CASE WHEN strpos(l, quote_char) = 0 THEN string_to_array(l, delimiter) ELSE dba._split_line(l, delimiter, quote_char) END AS f
          FROM unnest(v_recs, v_nums) AS r(l, n) WHERE n > skip_lines + 1
    ), typed AS (
        SELECT c.pos FROM r, generate_series(1, fields) c(pos), LATERAL nullif(btrim(r.f[c.pos]), '') v
         WHERE v IS NOT NULL
         GROUP BY c.pos HAVING count(*) FILTER (WHERE v ~ c_typed) * 10 >= count(*) * 9
    )
    SELECT coalesce(sum(CASE WHEN btrim(h.v) ~ c_typed THEN -1 ELSE 1 END), 0), count(*) INTO v_votes, v_voters
      FROM typed JOIN unnest(dba._split_line(p_lines[skip_lines + 1], delimiter, quote_char)) WITH ORDINALITY AS h(v, pos) USING (pos);
    has_header := v_votes >= 0;
    IF v_voters = 0 THEN
        notes := notes || 'every column is text: the first line was taken as a header (check it)'::text;
    ELSIF NOT has_header THEN
        notes := notes || format('no header: line %s holds data like the lines after it', skip_lines + 1);
    END IF;
END
$function$;

ALTER FUNCTION dba._draft_dialect(text[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._draft_dialect(text[]) FROM PUBLIC;
COMMENT ON FUNCTION dba._draft_dialect(text[]) IS
'Internal: the delimiter (, ; tab |), quote, preamble lines to skip, header or not, and field count of a draft''s sample lines, with notes on what was guessed. Raises nothing.';
