-- dba._draft_records: a sample's lines joined into records (a quoted field may span lines).
CREATE OR REPLACE FUNCTION dba._draft_records(p_lines text[], p_quote text, p_from integer DEFAULT 1)
RETURNS TABLE (line_no bigint, record text)
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT * FROM dba._draft_records(ARRAY['id,note', '1,"two', 'lines"', '2,x'], '"');
     -- (1, id,note) (2, 1,"two<LF>lines") (4, 2,x)
   From line p_from on: a line after an odd number of quote characters continues the record
   before it (a line break inside a quoted field, as in an Excel cell). Records keep the number
   of their first line; blank records are left out.
*/
SELECT min(n), string_agg(line, E'\n' ORDER BY n)
  FROM (SELECT n, line, count(*) FILTER (WHERE coalesce(quotes_before, 0) % 2 = 0) OVER (ORDER BY n) AS rec_no
          FROM (SELECT n, line, sum(length(line) - length(replace(line, p_quote, '')))
                                    OVER (ORDER BY n ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS quotes_before
                  FROM unnest(p_lines) WITH ORDINALITY AS u(line, n)
                 WHERE n >= p_from) q) s
 GROUP BY rec_no
HAVING btrim(string_agg(line, E'\n')) <> ''
 ORDER BY 1
$function$;

ALTER FUNCTION dba._draft_records(text[], text, integer) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._draft_records(text[], text, integer) FROM PUBLIC;
COMMENT ON FUNCTION dba._draft_records(text[], text, integer) IS
'Internal: the non-blank records of a draft''s sample lines from line p_from, a line break inside a quoted field joining its lines; each with the number of its first line. Raises nothing.';
