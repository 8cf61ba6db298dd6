-- Deploy feeds:type_dba_plan_check to pg
-- requires: schema_dba
BEGIN;

CREATE TYPE dba.plan_check AS (
    rule    text,
    message text,
    cond    text,
    fast    boolean,
    flag    text
);
ALTER TYPE dba.plan_check OWNER TO feeds_owner;
COMMENT ON TYPE dba.plan_check IS 'One check of a column in a compiled load plan (dba._compile_plan): the rule name stored in dba.tloaderror.rule, the message after "<value> is", the SQL condition over the row''s s.v<k>/s.t<k> that is true when the value breaks the rule, whether the fast ways check it too (false for the type check of a plain cast, which raises instead), and flag, the name of its boolean column in full validation''s work table (e<k>_<j>: check j of column k).';

COMMIT;
