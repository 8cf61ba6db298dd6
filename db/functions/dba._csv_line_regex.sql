-- dba._csv_line_regex: the regular expression a whole well-formed delimited line matches (RFC 4180).
-- requires: schema_dba
CREATE OR REPLACE FUNCTION dba._csv_line_regex(p_delimiter text, p_quote text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; one definition for dba._strict_csv() and dba._fields_sql():
     SELECT 'a,"b, ""c""",d' ~ dba._csv_line_regex(',', '"');   -- true
     SELECT '"Wu"W,x' ~ dba._csv_line_regex(',', '"');          -- false: text after a closing quote
   Each field is either quoted (a doubled quote inside is one) or free of quote and delimiter.
*/
SELECT format('^(?:%1$s(?:[^%1$s]|%1$s%1$s)*%1$s|[^%1$s%2$s]*)(?:%2$s(?:%1$s(?:[^%1$s]|%1$s%1$s)*%1$s|[^%1$s%2$s]*))*$',
              regexp_replace(p_quote, '([^[:alnum:]])', '\\\1'), regexp_replace(p_delimiter, '([^[:alnum:]])', '\\\1'))
$function$;

ALTER FUNCTION dba._csv_line_regex(text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._csv_line_regex(text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._csv_line_regex(text, text) IS
'Internal: the regular expression that a whole line matches when it is well-formed delimited text (RFC 4180 quoting with the given delimiter and quote). Never raises.';
