-- Deploy feeds:type_dba_load_source to pg
-- requires: schema_dba
BEGIN;

CREATE TYPE dba.load_source AS (
    way         text,
    relation    text,
    path        text,
    header_line bigint,
    header_raw  text,
    header      text[],
    rows_read   bigint,
    record_in   boolean,
    swap        text[],
    refusal     text,
    layout      text[]
);
ALTER TYPE dba.load_source OWNER TO feeds_owner;
COMMENT ON TYPE dba.load_source IS 'Where a load reads its records from, found by dba._open_load before the plan is compiled: the way (direct path, one pass, full validation); relation, the staged lines stage.load_<id> or the records joined over lines stage.load_<id>_m (NULL on the direct path, which reads path through the foreign table stage.load_<id>_f, columns c1…cN); header_line (the records follow it; 0 without a header), header_raw and header (its fields); rows_read (records after the header; NULL on the direct path, counted by the load); record_in (quoted lines are read with record_in into the type stage.load_<id>_r, after swapping the job''s delimiter and quote with swap[1] -> swap[2]); refusal (why the fast way cannot read the file) and layout (header errors found while reading it).';

COMMIT;
