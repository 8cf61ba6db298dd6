-- dba._date_code_sql(): the fast ways read a date in a fixed format as one number of its digits;
-- whatever it accepts, full validation (dba._timestamp_sql) reads as the same date and time.
BEGIN;
SELECT plan(8);

-- The fast reading of a value: its timestamp, or NULL (set aside), or the error it raises.
CREATE FUNCTION pg_temp.fast(p_value text, p_format text, p_type text DEFAULT 'timestamp') RETURNS text LANGUAGE plpgsql AS $$
DECLARE c record; v text;
BEGIN
    SELECT * INTO c FROM dba._date_code_sql('s.v', 's.n', p_format, p_type);
    EXECUTE format('SELECT (%s)::text FROM (SELECT %s AS n FROM (SELECT $1::text AS v) s) s', c.typed_sql, c.code_sql) INTO v USING p_value;
    RETURN v;
EXCEPTION WHEN invalid_text_representation THEN
    RETURN 'raises';
END $$;
CREATE FUNCTION pg_temp.full(p_value text, p_format text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE v text;
BEGIN
    EXECUTE format('SELECT (%s)::text FROM (SELECT $1::text AS v) s', dba._timestamp_sql('s.v', p_format)) INTO v USING p_value;
    RETURN v;
END $$;

CREATE TEMP TABLE v (value text, fmt text);
INSERT INTO v VALUES ('08/02/2013 18:30', 'DD/MM/YYYY HH24:MI'), ('31/02/2013 10:00', 'DD/MM/YYYY HH24:MI'),
    ('29/02/2000 00:00', 'DD/MM/YYYY HH24:MI'), ('29/02/1900 00:00', 'DD/MM/YYYY HH24:MI'), ('29/02/2024 00:00', 'DD/MM/YYYY HH24:MI'),
    ('31/04/2013 00:00', 'DD/MM/YYYY HH24:MI'), ('31/12/9999 23:59', 'DD/MM/YYYY HH24:MI'), ('08/02/2013 24:00', 'DD/MM/YYYY HH24:MI'),
    ('08/02/2013 23:60', 'DD/MM/YYYY HH24:MI'), ('01/13/2013 10:00', 'DD/MM/YYYY HH24:MI'), ('00/01/2013 10:00', 'DD/MM/YYYY HH24:MI'),
    ('01/01/0000 10:00', 'DD/MM/YYYY HH24:MI'), ('01/01/ 013 10:00', 'DD/MM/YYYY HH24:MI'), ('01/01/2013 1 :00', 'DD/MM/YYYY HH24:MI'),
    ('01/01/2013 10:0 ', 'DD/MM/YYYY HH24:MI'), ('1/01/2013 10:00', 'DD/MM/YYYY HH24:MI'), ('2013-01-01 10:00', 'DD/MM/YYYY HH24:MI'),
    ('01/01/2013  0:00', 'DD/MM/YYYY HH24:MI'), ('20130208', 'YYYYMMDD'), ('2013020 ', 'YYYYMMDD'), ('2013.02.08 06-05-04', 'YYYY.MM.DD HH24-MI-SS'),
    ('2013_02%08', 'YYYY_MM%DD'), ('2013x02%08', 'YYYY_MM%DD');

SELECT is((SELECT count(*) FROM v WHERE pg_temp.fast(value, fmt) IS DISTINCT FROM pg_temp.full(value, fmt)), 0::bigint,
          'every value reads as full validation reads it: the same date and time, or NULL');
SELECT is((SELECT count(*) FROM v WHERE pg_temp.fast(value, fmt) IS NOT NULL), 7::bigint, 'seven of them are real dates and times');
SELECT is(pg_temp.fast('0a/02/2013 18:30', 'DD/MM/YYYY HH24:MI'), 'raises', 'a letter in a digit place raises (the fast way is left)');
SELECT is(pg_temp.fast('08/02/2013', 'DD/MM/YYYY', 'date'), '2013-02-08', 'a date column');
SELECT is((SELECT code_sql FROM dba._date_code_sql('s.v', 's.n', 'DD/MM/YYYY', 'date')),
          'CASE WHEN s.v LIKE ''__/__/____'' THEN (''1'' || replace(s.v, ''/'', ''''))::bigint END', 'the shape, then the digits behind a 1');
SELECT is((SELECT (code_sql, typed_sql)::text FROM dba._date_code_sql('s.v', 's.n', 'DD/MM/YYYY HH24:MI', 'date')), '(,)',
          'a date column with a time format: no fast reading');
SELECT is((SELECT array_agg(code_sql IS NULL) FROM unnest(ARRAY['ISO', 'MM/DD/YYYY HH12:MI PM', 'DD/MM/YYYY 1', ' DD/MM/YYYY', 'DD/DD/YYYY']) f,
                  dba._date_code_sql('s.v', 's.n', f, 'timestamp')),
          '{t,t,t,t,t}'::boolean[], 'ISO, AM/PM, a digit or a space at an end among the literals, a part twice: no fast reading');
SELECT is((SELECT count(*) FROM dba._date_code_sql('s.v', 's.n', 'YYYYMMDD', 'date') WHERE code_sql LIKE '%replace%'), 0::bigint,
          'no literals, nothing to take out');

SELECT * FROM finish();
ROLLBACK;
