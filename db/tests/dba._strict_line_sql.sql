-- dba._strict_line_sql(): the strictness test of a line with a quote (dba._strict_csv) answers
-- exactly what the RFC 4180 regex (dba._csv_line_regex) answers, for every line it is asked.
BEGIN;
SELECT plan(5);

-- Every line of up to 7 characters from a quote, a delimiter, a letter and a space.
CREATE TEMP TABLE w AS
WITH RECURSIVE w(s, n) AS (SELECT ''::text, 0 UNION ALL SELECT w.s || c, n + 1 FROM w, unnest(ARRAY['"', ',', 'a', ' ']) c WHERE n < 7)
SELECT s FROM w WHERE strpos(s, '"') > 0;
-- And every line of 8 to 10 characters from a quote, a delimiter and a letter with at least 8
-- quotes: four or five quoted parts, past the parts the test splits out by hand.
INSERT INTO w
WITH RECURSIVE v(s, n) AS (SELECT ''::text, 0 UNION ALL SELECT v.s || c, n + 1 FROM v, unnest(ARRAY['"', ',', 'a']) c WHERE n < 10)
SELECT s FROM v WHERE n >= 8 AND length(s) - length(replace(s, '"', '')) >= 8;
CREATE FUNCTION pg_temp.differ(p_delimiter text, p_quote text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
    EXECUTE format('SELECT count(*) FILTER (WHERE (%s) IS DISTINCT FROM (s.raw ~ %L))
                      FROM (SELECT x AS raw, string_to_array(x, %L) AS a FROM (SELECT translate(s, %L, %L) AS x FROM w) x) s',
                   dba._strict_line_sql(p_delimiter, p_quote), dba._csv_line_regex(p_delimiter, p_quote), p_quote,
                   '",', p_quote || p_delimiter)
      INTO v;
    RETURN v;
END $$;

SELECT is((SELECT count(*) FROM w), 18786::bigint, '18,786 lines with a quote (221 of them with 8 or more)');
SELECT is(pg_temp.differ(',', '"'), 0::bigint, 'comma and double quote: the same answer as the regex for every line');
SELECT is(pg_temp.differ('%', '"'), 0::bigint, 'a delimiter that LIKE reads as a wildcard');
SELECT is(pg_temp.differ('_', ''''), 0::bigint, 'another wildcard, and a single quote');
SELECT is(pg_temp.differ(';', '|'), 0::bigint, 'semicolon and bar');

SELECT * FROM finish();
ROLLBACK;
