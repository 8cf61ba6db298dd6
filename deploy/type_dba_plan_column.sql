-- Deploy feeds:type_dba_plan_column to pg
-- requires: type_dba_plan_check
BEGIN;

CREATE TYPE dba.plan_column AS (
    k              integer,
    target         text,
    field          integer,
    label          text,
    job_type       text,
    value_tpl      text,
    fast_value_tpl text,
    typed_sql      text,
    fast_iso_sql   text,
    fast_typed_sql text,
    fast_check     text,
    checks         dba.plan_check[],
    is_key         boolean
);
ALTER TYPE dba.plan_column OWNER TO feeds_owner;
COMMENT ON TYPE dba.plan_column IS 'One mapped column of a compiled load plan (dba._compile_plan). k numbers its value s.v<k>, its typed value s.t<k> and, on the fast ways, s.i<k> of a date in another format (its digits as one bigint, dba._date_code_sql, or its ISO text); field is its position in the line (NULL: taken from the file name); label names it in messages; value_tpl and fast_value_tpl are format() templates of the value over the raw field (%1$s; full validation trims every type, the fast ways only text); typed_sql is the typed value over s.v<k> (NULL when it is not of the type, never raises); fast_iso_sql/fast_typed_sql/fast_check the fast ways'' exact tests (a print-back, or a date read from its digits); checks the rules; is_key whether it is a key column.';

COMMIT;
