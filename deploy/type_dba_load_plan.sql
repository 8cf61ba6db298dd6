-- Deploy feeds:type_dba_load_plan to pg
-- requires: type_dba_plan_column
BEGIN;

CREATE TYPE dba.load_plan AS (
    target      regclass,
    n_fields    integer,
    count_op    text,
    columns     dba.plan_column[],
    layout      text[],
    has_line    boolean,
    fast_refusal text
);
ALTER TYPE dba.load_plan OWNER TO feeds_owner;
COMMENT ON TYPE dba.load_plan IS 'A job compiled for one file header by dba._compile_plan: target table, fields a line must have (n_fields, compared with count_op = or >=), the mapped columns in map order, the layout errors (header) if any, whether the target has a line_no column the engine fills, and why the fast ways cannot take the file (NULL when they can).';

COMMIT;
