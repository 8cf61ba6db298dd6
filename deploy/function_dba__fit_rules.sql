-- Deploy feeds:function_dba__fit_rules to pg
-- Generated from db/functions/dba._fit_rules.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._fit_rules: the checks that a typed value fits its target column (precision, scale, length, range).
CREATE OR REPLACE FUNCTION dba._fit_rules(p_job_type text, p_column_type regtype, p_typmod integer,
                                          p_typed text, p_allow_round boolean DEFAULT false)
RETURNS TABLE (rule text, message text, cond text)
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; one row per check the engine adds for a column, so that a value the target column
   would refuse or change is a row reject (with line, column and value) instead of failing the
   file or being rounded silently. p_typed is the SQL of the value already cast to the job's
   type; cond is true when the value does NOT fit (NULL or false when it does).
     SELECT * FROM dba._fit_rules('numeric', 'numeric', 786438, 's.t1');
       -- fit      | too large for numeric(12,2) …   | abs(round(s.t1, 2)) >= 1e10
       -- rounding | more decimals than numeric(12,2) keeps … | s.t1 <> round(s.t1, 2)
   Rounding is a reject unless the column map entry says "round": true (p_allow_round).
   Types without a limit (text, numeric without typmod, date, …) have no rows.
*/
WITH t AS (
    SELECT format_type(p_column_type, p_typmod) AS shown,
           CASE WHEN p_column_type = 'numeric'::regtype AND p_typmod >= 4
                THEN ((p_typmod - 4) >> 16) & 65535 END AS prec,
           CASE WHEN p_column_type = 'numeric'::regtype AND p_typmod >= 4
                THEN (p_typmod - 4) & 65535 END AS scale,
           CASE p_column_type WHEN 'smallint'::regtype THEN -32768::numeric WHEN 'integer'::regtype THEN -2147483648
                              WHEN 'bigint'::regtype THEN -9223372036854775808 END AS lo,
           CASE p_column_type WHEN 'smallint'::regtype THEN 32767::numeric WHEN 'integer'::regtype THEN 2147483647
                              WHEN 'bigint'::regtype THEN 9223372036854775807 END AS hi
)
SELECT r.rule, r.message, r.cond
  FROM t CROSS JOIN LATERAL (VALUES
    -- numeric(p,s): at most p - s digits before the point once rounded to s decimals.
    (1, 'fit', format('too large for %s (at most %s digits before the decimal point)', t.shown, t.prec - t.scale),
     format('abs(round(%s, %s)) >= %s', p_typed, t.scale, ('1e' || (t.prec - t.scale))::numeric),
     t.prec IS NOT NULL AND t.scale <= t.prec AND p_job_type IN ('numeric', 'integer', 'bigint')),
    (2, 'rounding', format('more precise than %s keeps (%s decimals); it would be rounded (a column map entry allows it with "round": true)', t.shown, t.scale),
     format('%1$s <> round(%1$s, %2$s)', p_typed, t.scale),
     t.prec IS NOT NULL AND t.scale <= t.prec AND p_job_type = 'numeric' AND NOT p_allow_round),
    -- smallint, integer, bigint: the range, and a fraction a numeric value would lose.
    (3, 'fit', format('out of range for %s (%s to %s)', t.shown, t.lo, t.hi),
     format('round(%s) NOT BETWEEN %s AND %s', p_typed, t.lo, t.hi),
     t.lo IS NOT NULL AND (p_job_type = 'numeric' OR (p_job_type = 'bigint' AND p_column_type <> 'bigint'::regtype)
                           OR (p_job_type = 'integer' AND p_column_type = 'smallint'::regtype))),
    (4, 'rounding', format('not a whole number; %s would round it (a column map entry allows it with "round": true)', t.shown),
     format('%1$s <> round(%1$s)', p_typed),
     t.lo IS NOT NULL AND p_job_type = 'numeric' AND NOT p_allow_round),
    -- double precision and real: the range.
    (5, 'fit', format('out of range for %s', t.shown),
     format('abs(%s) > %s', p_typed, CASE p_column_type WHEN 'real'::regtype THEN '3.4028234663852886e38'
                                                       ELSE '1.7976931348623157e308' END),
     p_column_type IN ('real'::regtype, 'double precision'::regtype) AND p_job_type IN ('numeric', 'integer', 'bigint')),
    -- varchar(n), char(n): the length.
    (6, 'fit', format('longer than %s allows (%s characters)', t.shown, p_typmod - 4),
     format('length(%s) > %s', p_typed, p_typmod - 4),
     p_column_type IN ('character varying'::regtype, 'character'::regtype) AND p_typmod >= 4)
  ) r(n, rule, message, cond, wanted)
 WHERE r.wanted
 ORDER BY r.n
$function$;

ALTER FUNCTION dba._fit_rules(text, regtype, integer, text, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._fit_rules(text, regtype, integer, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._fit_rules(text, regtype, integer, text, boolean) IS
'Internal: the checks (rule fit or rounding, message, SQL condition true when the value does not fit) that a value of the job''s type fits its target column: numeric precision and scale, integer ranges, float ranges, varchar/char length. Rounding is a reject unless p_allow_round (column map "round": true). Never raises.';

COMMIT;
