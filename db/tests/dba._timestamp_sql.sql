-- dba._timestamp_sql(): the generated, never-raising date/time parser used for every row.
BEGIN;
SELECT plan(14);

CREATE FUNCTION pg_temp.ts(p_value text, p_format text) RETURNS timestamp LANGUAGE plpgsql AS $$
DECLARE v timestamp;
BEGIN
    EXECUTE format('SELECT %s FROM (SELECT $1::text AS v) s', dba._timestamp_sql('s.v', p_format)) INTO v USING p_value;
    RETURN v;
END $$;

SELECT is(pg_temp.ts('08/02/2013 18:30', 'DD/MM/YYYY HH24:MI'), '2013-02-08 18:30'::timestamp, 'DD/MM/YYYY HH24:MI');
SELECT is(pg_temp.ts('31/02/2013 10:00', 'DD/MM/YYYY HH24:MI'), NULL, '31 February is NULL');
SELECT is(pg_temp.ts('08/020/2013 18:30', 'DD/MM/YYYY HH24:MI'), NULL, 'a wrong width is NULL');
SELECT is(pg_temp.ts('2013-02-08 18:30', 'DD/MM/YYYY HH24:MI'), NULL, 'another format is NULL');
SELECT is(pg_temp.ts('29/02/2000 00:00', 'DD/MM/YYYY HH24:MI'), '2000-02-29'::timestamp, '2000 is a leap year');
SELECT is(pg_temp.ts('29/02/1900 00:00', 'DD/MM/YYYY HH24:MI'), NULL, '1900 is not');
SELECT is(pg_temp.ts('31/04/2013 00:00', 'DD/MM/YYYY HH24:MI'), NULL, 'April has 30 days');
SELECT is(pg_temp.ts('31/12/2013 23:59', 'DD/MM/YYYY HH24:MI'), '2013-12-31 23:59'::timestamp, 'December has 31');
SELECT is(pg_temp.ts('08/02/2013 24:00', 'DD/MM/YYYY HH24:MI'), NULL, 'hour 24 is NULL');
SELECT is(pg_temp.ts('2013-02-08', 'ISO'), '2013-02-08'::timestamp, 'ISO date');
SELECT is(pg_temp.ts('2013-02-08T18:30:05.25', 'ISO'), '2013-02-08 18:30:05.25'::timestamp, 'ISO date-time with fraction');
SELECT is(pg_temp.ts('20130208', 'YYYYMMDD'), '2013-02-08'::timestamp, 'formats without separators');
SELECT is(pg_temp.ts('02/08/2013 06:30 PM', 'MM/DD/YYYY HH12:MI PM'), '2013-02-08 18:30'::timestamp, 'AM/PM formats use the slow path');
SELECT throws_ok($$SELECT dba._timestamp_sql('x', 'HH24:MI')$$, 'FD010', NULL, 'a format without a date is refused');

SELECT * FROM finish();
ROLLBACK;
