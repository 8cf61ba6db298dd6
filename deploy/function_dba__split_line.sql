-- Deploy feeds:function_dba__split_line to pg
-- Generated from db/functions/dba._split_line.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._split_line: split one delimited line into its fields (RFC 4180 quoting).
CREATE OR REPLACE FUNCTION dba._split_line(p_line text, p_delimiter text, p_quote text, p_empty_null boolean DEFAULT false)
RETURNS text[]
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   SELECT dba._split_line('a,"b, c",d', ',', '"');   -- {a,"b, c",d}
   SELECT dba._split_line('a,b"c', ',', '"');         -- NULL: a stray quote, the line is malformed
   SELECT dba._split_line('a,,""', ',', '"', true);  -- {a,NULL,""}: an unquoted empty field is NULL
   Lines without a quote character take the fast path (string_to_array); quoted fields keep
   their delimiters and turn doubled quotes into one. With p_empty_null an unquoted empty field
   is NULL and a quoted "" the empty string (as COPY reads them).
*/
SELECT CASE
    WHEN p_line IS NULL THEN NULL
    WHEN strpos(p_line, p_quote) = 0 THEN string_to_array(p_line, p_delimiter, CASE WHEN p_empty_null THEN '' END)
    ELSE (
        SELECT CASE WHEN sum(length(r.m[1]) + 1) = length(p_line) + 1 THEN
                    array_agg(CASE WHEN left(r.m[1], 1) = p_quote AND length(r.m[1]) >= 2
                                   THEN replace(substr(r.m[1], 2, length(r.m[1]) - 2), p_quote || p_quote, p_quote)
                                   WHEN p_empty_null THEN nullif(r.m[1], '') ELSE r.m[1] END ORDER BY r.n)
               END
          FROM regexp_matches(p_line || p_delimiter,
                              format('(%1$s(?:[^%1$s]|%1$s%1$s)*%1$s|[^%1$s%2$s]*)%2$s',
                                     regexp_replace(p_quote, '([^[:alnum:]])', '\\\1'),
                                     regexp_replace(p_delimiter, '([^[:alnum:]])', '\\\1')),
                              'g') WITH ORDINALITY AS r(m, n)
    )
END
$function$;

ALTER FUNCTION dba._split_line(text, text, text, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._split_line(text, text, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._split_line(text, text, text, boolean) IS
'Internal: splits one line into fields by delimiter, honouring quotes (doubled quote = one quote); with p_empty_null an unquoted empty field is NULL; NULL for a malformed line (stray or unterminated quote). Never raises.';

COMMIT;
