-- Deploy feeds:function_dba__real_datetime_sql to pg
-- Generated from db/functions/dba._real_datetime_sql.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._real_datetime_sql: the SQL test that parts of a date and time make a real one.
CREATE OR REPLACE FUNCTION dba._real_datetime_sql(p_y text, p_mo text, p_d text, p_h text DEFAULT '0',
                                                  p_mi text DEFAULT '0', p_s text DEFAULT '0')
RETURNS text
LANGUAGE sql
IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the one calendar test of full validation (dba._timestamp_sql) and of the fast ways'
   date reader (dba._date_code_sql), which render it over their own SQL of each part:
     SELECT dba._real_datetime_sql('y', 'mo', 'd', 'h', 'mi', 's');
       -- y >= 1 AND mo BETWEEN 1 AND 12 AND h < 24 AND mi < 60 AND s < 60 AND d BETWEEN 1 AND …
   A year from 1, a month 1–12, an hour under 24, minutes and seconds under 60, and a day of that
   month: February by the leap rule (29 days when the year divides by 4 and not by 100, or by
   400), else 30 or 31 (30 + (m + m / 8) % 2). Without make_date(), so it never raises.
*/
SELECT format($e$%1$s >= 1 AND %2$s BETWEEN 1 AND 12 AND %4$s < 24 AND %5$s < 60 AND %6$s < 60
                  AND %3$s BETWEEN 1 AND CASE WHEN %2$s = 2
                                              THEN CASE WHEN (%1$s %% 4 = 0 AND %1$s %% 100 <> 0) OR %1$s %% 400 = 0 THEN 29 ELSE 28 END
                                              ELSE 30 + (%2$s + %2$s / 8) %% 2 END$e$,
              p_y, p_mo, p_d, p_h, p_mi, p_s)
$function$;

ALTER FUNCTION dba._real_datetime_sql(text, text, text, text, text, text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._real_datetime_sql(text, text, text, text, text, text) FROM PUBLIC;
COMMENT ON FUNCTION dba._real_datetime_sql(text, text, text, text, text, text) IS
'Internal: renders the never-raising SQL test that the given SQL of a year, month, day, hour, minute and second make a real date and time (the leap rule for February, 30 or 31 days otherwise), for full validation and the fast ways alike. Never raises.';

COMMIT;
