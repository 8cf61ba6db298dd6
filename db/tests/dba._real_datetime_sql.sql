-- dba._real_datetime_sql(): the one calendar test of full validation and the fast ways says a
-- date is real exactly when PostgreSQL's own make_date() takes it, and a time only under
-- 24:00:00 with seconds under 60 (make_timestamp() also takes 24:00:00 and a 60th second).
BEGIN;
SELECT plan(4);

CREATE FUNCTION pg_temp.makes(y int, mo int, d int, h int, mi int, s int) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM make_date(y, mo, d);
    RETURN h BETWEEN 0 AND 23 AND mi BETWEEN 0 AND 59 AND s BETWEEN 0 AND 59;
EXCEPTION WHEN OTHERS THEN
    RETURN false;
END $$;
CREATE FUNCTION pg_temp.pg_takes(y int, mo int, d int, h int, mi int, s int) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM make_timestamp(y, mo, d, h, mi, s);
    RETURN true;
EXCEPTION WHEN OTHERS THEN
    RETURN false;
END $$;
CREATE FUNCTION pg_temp.count_where(p_sql text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE v bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM t WHERE %s', p_sql) INTO v;
    RETURN v;
END $$;
CREATE FUNCTION pg_temp.differ(p_sql text) RETURNS bigint LANGUAGE sql AS $$
    SELECT pg_temp.count_where(format('(%s) IS DISTINCT FROM pg_temp.makes(y, mo, d, h, mi, s)', p_sql)) $$;
-- Leap and common years, centuries, every month and day just past both ends, times at the edges.
CREATE TEMP TABLE t AS
SELECT y, mo, d, h, mi, s
  FROM unnest(ARRAY[1, 4, 100, 200, 400, 1600, 1700, 1900, 2000, 2023, 2024, 2100, 2400, 9999]) y,
       generate_series(0, 13) mo, generate_series(0, 32) d,
       (VALUES (0, 0, 0), (23, 59, 59), (24, 0, 0), (0, 60, 0), (0, 0, 60)) hms(h, mi, s);

SELECT is((SELECT count(*) FROM t), 32340::bigint, 'years, months, days and times around every edge');
SELECT is(pg_temp.differ(dba._real_datetime_sql('y', 'mo', 'd', 'h', 'mi', 's')), 0::bigint,
          'real exactly when make_date takes the date (29 February in leap years only, 31 days in the right months) and the time is under 24:00:00');
SELECT is(pg_temp.count_where(format('NOT (%s) AND pg_temp.pg_takes(y, mo, d, h, mi, s)', dba._real_datetime_sql('y', 'mo', 'd', 'h', 'mi', 's'))),
          (SELECT count(*) FROM t WHERE (h, mi, s) IN ((24, 0, 0), (0, 0, 60)) AND pg_temp.makes(y, mo, d, 0, 0, 0)),
          'stricter than make_timestamp only for 24:00:00 and a 60th second');
SELECT is(pg_temp.count_where(format('(%s) IS DISTINCT FROM pg_temp.makes(y, mo, d, 0, 0, 0)', dba._real_datetime_sql('y', 'mo', 'd'))), 0::bigint,
          'a date alone: real when make_date takes it');

SELECT * FROM finish();
ROLLBACK;
