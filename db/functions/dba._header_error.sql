-- dba._header_error: the layout message for a mapped column the header does not give.
CREATE OR REPLACE FUNCTION dba._header_error(p_cfg dba.timportconfig, p_file_name text, p_header text[],
                                             p_entry jsonb, p_ord integer, p_names text[])
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; part of dba._compile_plan(), for an entry (the p_ord-th file column of the map,
   accepted header names p_names) whose field the header does not give:
     SELECT dba._header_error(c, 'f.csv', '{code,qtyx}', '{"source":"qty","target":"qty"}', 2, '{qty}')
       FROM dba.timportconfig c WHERE job_name = 'x';   -- f.csv line 1 column 2: header 'qtyx', expected 'qty'
*/
SELECT format('%s line %s', p_file_name, p_cfg.skip_lines + 1) || CASE
    WHEN p_cfg.header_policy = 'ignore_extra' AND p_names IS NOT NULL
    THEN format(': column %s is missing from the header', (SELECT string_agg(quote_literal(x), ' or ') FROM unnest(p_names) x))
    WHEN p_cfg.header_policy = 'strict' AND p_names IS NOT NULL AND v.idx <= cardinality(p_header)
    THEN format(' column %s: header %s, expected %s', v.idx, coalesce(quote_literal(p_header[v.idx]), '(none)'),
                (SELECT string_agg(quote_literal(x), ' or ') FROM unnest(p_names) x))
    ELSE format(': column %s is beyond the %s columns of the header', v.idx, cardinality(p_header)) END
  FROM (SELECT coalesce((p_entry ->> 'position')::int, p_ord) AS idx) v
$function$;

ALTER FUNCTION dba._header_error(dba.timportconfig, text, text[], jsonb, integer, text[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._header_error(dba.timportconfig, text, text[], jsonb, integer, text[]) FROM PUBLIC;
COMMENT ON FUNCTION dba._header_error(dba.timportconfig, text, text[], jsonb, integer, text[]) IS
'Internal: the layout message (rule header) for a column-map entry whose field the file''s header does not give: missing (ignore_extra), another name at its place (strict), or beyond the header. Never raises.';
