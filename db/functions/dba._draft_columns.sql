-- dba._draft_columns: type, format, rules and an SQL-safe name for each column of a sample.
CREATE OR REPLACE FUNCTION dba._draft_columns(p_lines text[], p_delimiter text, p_quote text, p_first_data integer,
                                              p_header text[], p_fields integer,
                                              OUT columns jsonb, OUT candidate_key text)
LANGUAGE plpgsql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT * FROM dba._draft_columns(ARRAY['id,when', '1,2026-05-02', '2,2026-05-03'], ',', '"', 2,
                                    ARRAY['id', 'when'], 2);
   One statement over every value of the data records (from line p_first_data; a quoted field
   may span lines) gathers per column what the rules need; then each column gets, in this order of preference: boolean, integer, bigint,
   numeric, date or timestamp (ISO, or DD/MM/YYYY or MM/DD/YYYY with - . or / and an optional
   HH24:MI[:SS]), else text. Values the engine cannot read as the type stay text with a note:
   decimal commas (the engine reads a point only), leading zeros. A date column whose days and
   months are all <= 12 follows an unambiguous date column of the file, else DD/MM, and says
   so. Rules: required (never empty), email, allowed (at most 10 values, each seen twice on
   average), max_length (twice the longest, rounded up). candidate_key: the first column that
   is required and unique, preferring names like id, code, key or number.
   columns: [{position, sql_type, note, map: <the column-map entry>}].
*/
DECLARE
    c_email CONSTANT text := '^[-A-Za-z0-9.!#$%&''*+/=?^_`{|}~]+@[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)+$';
    r       record;
    v_used  text[] := '{}';
    v_name  text;
    v_n     integer;
BEGIN
    columns := '[]';
    FOR r IN
        -- MATERIALIZED: each record is split, and each value matched, once (not once per use).
        WITH x AS MATERIALIZED (
            SELECT dba._split_line(record, p_delimiter, p_quote) AS f
              FROM dba._draft_records(p_lines, p_quote, p_first_data)
        ), val AS MATERIALIZED (
            SELECT c.pos, v, regexp_match(v, '^(\d{2})([/.-])(\d{2})\2(\d{4})( \d{2}:\d{2}(:\d{2})?)?$') AS dm
              FROM x CROSS JOIN generate_series(1, p_fields) AS c(pos), LATERAL nullif(btrim(x.f[c.pos]), '') AS v
             WHERE x.f IS NOT NULL
        ), s AS (
            SELECT pos, count(*) AS n_rows, count(v) AS n_values, count(DISTINCT v) AS n_distinct,
                   coalesce(max(length(v)), 0) AS max_len,
                   coalesce(bool_and(v ~ '^[+-]?[0-9]{1,18}$'), false) AS all_int,
                   coalesce(bool_or(v ~ '^[+-]?0[0-9]'), false) AS lead_zero,
                   max(abs(v::numeric)) FILTER (WHERE v ~ '^[+-]?[0-9]{1,18}$') AS max_int,
                   coalesce(bool_and(v ~ '^[+-]?([0-9]+(\.[0-9]+)?|\.[0-9]+)$'), false) AS all_num,
                   coalesce(bool_and(v ~ '^[+-]?([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]+)?$') AND bool_or(v ~ ','), false) AS all_comma,
                   coalesce(bool_and(lower(v) IN ('true', 'false', 't', 'f', 'yes', 'no', 'y', 'n', 'si', 'on', 'off')), false) AS all_bool,
                   coalesce(bool_and(v ~ '^\d{4}-\d{2}-\d{2}$'), false) AS iso_date,
                   coalesce(bool_and(v ~ '^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$'), false) AS iso_ts,
                   coalesce(bool_and(dm IS NOT NULL) AND count(DISTINCT (dm[2], dm[5] IS NULL, dm[6] IS NULL)) = 1, false) AS all_dm,
                   min(dm[2]) AS sep, bool_or(dm[5] IS NOT NULL) AS dm_time, bool_or(dm[6] IS NOT NULL) AS dm_secs,
                   max(dm[1]::int) AS max_a, max(dm[3]::int) AS max_b,
                   coalesce(bool_and(v ~ c_email), false) AS all_email,
                   array_agg(DISTINCT v ORDER BY v) FILTER (WHERE v IS NOT NULL) AS vals
              FROM val
             GROUP BY pos
        ), t AS (
            SELECT s.*, CASE
                   WHEN n_values = 0 THEN 'text'
                   WHEN all_bool THEN 'boolean'
                   WHEN all_int AND NOT lead_zero THEN CASE WHEN max_int <= 2147483647 THEN 'integer' ELSE 'bigint' END
                   WHEN all_num AND NOT lead_zero THEN 'numeric'
                   WHEN iso_date THEN 'date'
                   WHEN iso_ts THEN 'timestamp'
                   WHEN all_dm AND (max_a <= 12 OR max_b <= 12) THEN CASE WHEN dm_time THEN 'timestamp' ELSE 'date' END
                   ELSE 'text' END AS typ,
                   CASE WHEN all_dm AND max_a > 12 AND max_b <= 12 THEN 'D' WHEN all_dm AND max_b > 12 AND max_a <= 12 THEN 'M' END AS order_seen
              FROM s
        ), o AS (
            SELECT t.*, coalesce(order_seen, (SELECT min(order_seen) FROM t), 'D') AS day_order,
                   CASE WHEN typ = 'text' AND NOT all_email AND n_distinct BETWEEN 1 AND 10 AND n_distinct * 2 <= n_values
                        THEN to_jsonb(vals) END AS allowed
              FROM t
        )
        SELECT o.pos, o.typ, o.n_rows, o.n_values, o.n_distinct, o.max_len, o.allowed,
               CASE WHEN o.typ IN ('date', 'timestamp') AND o.all_dm THEN
                    CASE o.day_order WHEN 'D' THEN 'DD' || o.sep || 'MM' ELSE 'MM' || o.sep || 'DD' END || o.sep || 'YYYY'
                    || CASE WHEN o.dm_secs THEN ' HH24:MI:SS' WHEN o.dm_time THEN ' HH24:MI' ELSE '' END END AS fmt,
               CASE WHEN o.typ = 'text' AND o.all_email AND o.n_values > 0 THEN true END AS email,
               CASE WHEN o.typ = 'text' AND o.allowed IS NULL AND o.max_len > 0
                    THEN (SELECT min(b) FROM unnest('{10,20,50,100,200,500,1000,2000,5000,10000}'::int[]) b WHERE b >= o.max_len * 2) END AS max_length,
               concat_ws('; ',
                   CASE WHEN o.n_values = 0 THEN 'empty in every sampled row: text' END,
                   CASE WHEN o.typ = 'text' AND o.all_comma THEN
                        'decimal commas (1.234,56): the engine reads numbers with a point only, so the column is text; convert it after loading, e.g. replace(replace(x, ''.'', ''''), '','', ''.'')::numeric' END,
                   CASE WHEN o.typ = 'text' AND o.lead_zero AND (o.all_int OR o.all_num) THEN 'leading zeros (007): text, so they are kept' END,
                   CASE WHEN o.typ = 'text' AND o.all_dm THEN 'looks like dates, but day and month both exceed 12 somewhere: text' END,
                   CASE WHEN o.typ IN ('date', 'timestamp') AND o.all_dm AND o.order_seen IS NULL THEN
                        format('ambiguous: every day and month is 12 or less in the sample; read as %s (%s), %s fits too',
                               CASE o.day_order WHEN 'D' THEN 'day first' ELSE 'month first' END,
                               CASE WHEN (SELECT min(order_seen) FROM t) IS NOT NULL THEN 'like the other date columns' ELSE 'the default' END,
                               CASE o.day_order WHEN 'D' THEN 'MM' || o.sep || 'DD' ELSE 'DD' || o.sep || 'MM' END || o.sep || 'YYYY') END,
                   CASE WHEN o.typ = 'text' AND o.max_len > 0 AND o.allowed IS NULL THEN format('longest in the sample: %s', o.max_len) END
               ) AS note
          FROM o ORDER BY o.pos
    LOOP
        v_name := dba._draft_name(CASE WHEN p_header IS NOT NULL THEN p_header[r.pos] END, 'column_' || r.pos);
        v_n := 1;
        WHILE left(v_name, 60) || CASE WHEN v_n > 1 THEN '_' || v_n ELSE '' END = ANY (v_used) LOOP
            v_n := v_n + 1;
        END LOOP;
        v_name := left(v_name, 60) || CASE WHEN v_n > 1 THEN '_' || v_n ELSE '' END;
        v_used := v_used || v_name;
        columns := columns || jsonb_build_array(jsonb_build_object(
            'position', r.pos,
            'sql_type', r.typ,
            'note', nullif(r.note, ''),
            'unique', r.n_values = r.n_rows AND r.n_distinct = r.n_rows AND r.n_rows >= 2,
            'map', jsonb_build_object('source', CASE WHEN p_header IS NOT NULL THEN nullif(btrim(p_header[r.pos], E' \t\uFEFF'), '') END)
                   || jsonb_strip_nulls(jsonb_build_object(
                        'target', v_name,
                        'type', nullif(r.typ, 'text'),
                        'format', r.fmt,
                        'required', CASE WHEN r.n_rows > 0 AND r.n_values = r.n_rows THEN true END,
                        'rules', nullif(jsonb_strip_nulls(jsonb_build_object('email', r.email, 'allowed', r.allowed,
                                                                              'max_length', r.max_length)), '{}')))));
    END LOOP;
    SELECT c -> 'map' ->> 'target' INTO candidate_key
      FROM jsonb_array_elements(columns) c
     WHERE (c ->> 'unique')::boolean AND c ->> 'sql_type' IN ('integer', 'bigint', 'text')
     ORDER BY c -> 'map' ->> 'target' ~ '(^|_)(id|code|key|no|nr|num|number|ref)$' DESC, (c ->> 'position')::int
     LIMIT 1;
END
$function$;

ALTER FUNCTION dba._draft_columns(text[], text, text, integer, text[], integer) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._draft_columns(text[], text, text, integer, text[], integer) FROM PUBLIC;
COMMENT ON FUNCTION dba._draft_columns(text[], text, text, integer, text[], integer) IS
'Internal: for each column of a draft''s sample, an SQL-safe unique target name, the type and date format, the rules it can see (required, email, allowed, max_length) and notes on what it decided; and a candidate key (unique and never empty). Raises nothing.';
