-- dba._column_checks: the checks of one mapped column, in the order they are reported.
CREATE OR REPLACE FUNCTION dba._column_checks(p_entry jsonb, p_val text, p_typed text, p_plain_cast boolean,
                                              p_column_type regtype, p_typmod integer)
RETURNS dba.plan_check[]
LANGUAGE sql
STABLE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; part of dba._compile_plan(). p_val and p_typed are the SQL of the column's value
   and typed value (s.v<k>, s.t<k>); p_plain_cast says the fast ways cast the value plainly (the
   cast raises, so they skip the type check). The target column's type gives the fit checks
   (dba._fit_rules).
     SELECT dba._column_checks('{"type":"integer","required":true}', 's.v1', 's.t1', true, 'integer', -1);
       -- flag is left NULL: dba._plan_column names it
       -- {"(required,\"a value is required\",\"s.v1 IS NULL\",t)","(type,\"not a valid integer\",…,f)"}
*/
WITH e AS (
    SELECT coalesce(p_entry ->> 'type', 'text') AS type, coalesce(p_entry ->> 'format', 'ISO') AS fmt,
           coalesce(p_entry -> 'rules', '{}') AS rules,
           ARRAY(SELECT jsonb_array_elements_text(p_entry -> 'rules' -> 'allowed')) AS allowed
)
-- The fast ways skip two kinds of check that the load raises on anyway (ending the attempt): the
-- type check of a plain cast, and a value too large or long for its column (22003, 22001). A
-- value that would be rounded raises nothing, so the rounding check stays.
SELECT coalesce(array_agg((r.rule, r.msg, r.cond, NOT ((r.rule IN ('type', 'format') AND p_plain_cast) OR r.rule = 'fit'), NULL)::dba.plan_check
                          ORDER BY r.n), '{}')
  FROM e CROSS JOIN LATERAL (
    SELECT * FROM (VALUES
        (1, 'required', 'a value is required', format('%s IS NULL', p_val), coalesce((p_entry ->> 'required')::boolean, false)),
        (2, CASE WHEN e.type IN ('date', 'timestamp') THEN 'format' ELSE 'type' END,
         CASE e.type WHEN 'date' THEN format('not a real date in the format %s', e.fmt)
                     WHEN 'timestamp' THEN format('not a real date and time in the format %s', e.fmt)
                     WHEN 'boolean' THEN 'not a boolean (true/false, yes/no, 1/0)'
                     ELSE format('not a valid %s', e.type) END,
         format('%s IS NOT NULL AND %s IS NULL', p_val, p_typed), e.type <> 'text'),
        (3, 'regex', format('does not match %s', e.rules ->> 'regex'), format('%s !~ %L', p_val, e.rules ->> 'regex'),
         e.rules ? 'regex'),
        (4, 'email', 'not a valid e-mail address',
         format('%s !~ %L', p_val, '^[-A-Za-z0-9.!#$%&''*+/=?^_`{|}~]+@[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?(\.[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?)+$'),
         coalesce((e.rules ->> 'email')::boolean, false)),
        (5, 'allowed', format('not one of the allowed values (%s)', array_to_string(e.allowed, ', ')),
         format('NOT %s = ANY (%L::text[])', p_val, e.allowed), e.rules ? 'allowed'),
        (6, 'max_length', format('longer than %s characters', e.rules ->> 'max_length'),
         format('length(%s) > %s', p_val, (e.rules ->> 'max_length')::int), e.rules ? 'max_length'),
        (7, 'min', format('less than the minimum %s', e.rules ->> 'min'),
         format('CASE WHEN NOT (%1$s IS NULL) THEN %1$s < %2$L END', p_typed, e.rules ->> 'min'), e.rules ? 'min'),
        (8, 'max', format('more than the maximum %s', e.rules ->> 'max'),
         format('CASE WHEN NOT (%1$s IS NULL) THEN %1$s > %2$L END', p_typed, e.rules ->> 'max'), e.rules ? 'max')
    ) v(n, rule, msg, cond, wanted)
    WHERE v.wanted
    UNION ALL
    -- The value fits the target column (precision, scale, length, range).
    SELECT 8 + f.n, f.rule, f.message, f.cond, true
      FROM dba._fit_rules(e.type, p_column_type, p_typmod, p_typed, coalesce((p_entry ->> 'round')::boolean, false))
           WITH ORDINALITY AS f(rule, message, cond, n)
  ) r(n, rule, msg, cond, wanted)
$function$;

ALTER FUNCTION dba._column_checks(jsonb, text, text, boolean, regtype, integer) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._column_checks(jsonb, text, text, boolean, regtype, integer) FROM PUBLIC;
COMMENT ON FUNCTION dba._column_checks(jsonb, text, text, boolean, regtype, integer) IS
'Internal: the checks of one column-map entry as dba.plan_check values (rule, message, SQL condition true when broken, checked by the fast ways; flag NULL): required, type or format, the entry''s rules, and the fit to the target column (dba._fit_rules). Never raises for a job the trigger accepted.';
