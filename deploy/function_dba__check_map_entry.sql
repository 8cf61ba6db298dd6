-- Deploy feeds:function_dba__check_map_entry to pg
-- Generated from db/functions/dba._check_map_entry.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._check_map_entry: one column map entry of a job names a column of its target and can be read.
CREATE OR REPLACE FUNCTION dba._check_map_entry(p_job text, p_rel regclass, p_entry jsonb, p_ord integer,
                                                p_mapped text[])
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the job check (dba._timportconfig_check) calls it for each entry, in order, with the
   targets of the entries before it, and returns the entry's target column:
     SELECT dba._check_map_entry('orders', 'sales.orders', '{"source": "Ordered", "target": "ordered_at",
                                 "type": "timestamp", "format": "DD/MM/YYYY HH24:MI"}', 4, '{order_id}');
       -- ordered_at
   Refuses (FD010) an entry without a "target" string, a target that is load_id or no column of
   p_rel, a column already in p_mapped, a type not in dba._map_vocabulary('type'), a "round" that is
   not a boolean, a date format without a date (dba._timestamp_sql), a from_file_name that does
   not compile, or else a "position" that is not a number from 1; then checks its rules
   (dba._check_map_rules).
*/
DECLARE
    v_target text;
    v_type   text;
    v_why    text;
BEGIN
    IF jsonb_typeof(p_entry) <> 'object' OR jsonb_typeof(p_entry -> 'target') IS DISTINCT FROM 'string' THEN
        RAISE EXCEPTION 'job %: column_map entry % needs a "target" column name', p_job, p_ord
              USING ERRCODE = 'FD010', DETAIL = p_entry::text;
    END IF;
    v_target := p_entry ->> 'target';
    IF v_target = 'load_id' OR NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = p_rel
                                              AND attname = v_target AND attnum > 0 AND NOT attisdropped) THEN
        RAISE EXCEPTION 'job %: column_map entry % targets column % which % has not', p_job, p_ord,
              quote_ident(v_target), p_rel
              USING ERRCODE = 'FD010';
    END IF;
    IF v_target = ANY (p_mapped) THEN
        RAISE EXCEPTION 'job %: column % is mapped twice', p_job, quote_ident(v_target) USING ERRCODE = 'FD010';
    END IF;
    v_type := coalesce(p_entry ->> 'type', 'text');
    IF NOT v_type = ANY (dba._map_vocabulary('type')) THEN
        RAISE EXCEPTION 'job %: column % has unknown type %', p_job, quote_ident(v_target), quote_literal(v_type)
              USING ERRCODE = 'FD010', HINT = format('Types: %s.', array_to_string(dba._map_vocabulary('type'), ', '));
    END IF;
    IF p_entry ? 'round' AND jsonb_typeof(p_entry -> 'round') <> 'boolean' THEN
        RAISE EXCEPTION 'job %: "round" of column % must be true or false', p_job, quote_ident(v_target)
              USING ERRCODE = 'FD010', HINT = '"round": true lets a value with more decimals than the column keeps be rounded.';
    END IF;
    IF v_type IN ('date', 'timestamp') THEN
        BEGIN
            PERFORM dba._timestamp_sql('x', p_entry ->> 'format');  -- FD010 for a format without a date
        EXCEPTION WHEN SQLSTATE 'FD010' THEN
            GET STACKED DIAGNOSTICS v_why = MESSAGE_TEXT;
            RAISE EXCEPTION 'job %: column %: %', p_job, quote_ident(v_target), v_why
                  USING ERRCODE = 'FD010', HINT = 'A pattern of YYYY, MM, DD (and HH24, MI, SS) with literal characters, such as DD/MM/YYYY HH24:MI, or ISO (docs/configuration.md, "The column map").';
        END;
    END IF;
    IF p_entry ? 'from_file_name' THEN
        IF dba._regex_error(p_entry ->> 'from_file_name') IS NOT NULL THEN
            RAISE EXCEPTION 'job %: from_file_name of column % does not compile', p_job, quote_ident(v_target)
                  USING ERRCODE = 'FD010';
        END IF;
    ELSIF p_entry ? 'position' AND (jsonb_typeof(p_entry -> 'position') <> 'number'
                                    OR (p_entry ->> 'position')::numeric < 1) THEN
        RAISE EXCEPTION 'job %: position of column % must be a number from 1', p_job, quote_ident(v_target)
              USING ERRCODE = 'FD010';
    END IF;
    IF p_entry ? 'rules' THEN
        PERFORM dba._check_map_rules(p_job, v_target, p_entry -> 'rules');
    END IF;
    RETURN v_target;
END
$function$;

ALTER FUNCTION dba._check_map_entry(text, regclass, jsonb, integer, text[]) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._check_map_entry(text, regclass, jsonb, integer, text[]) FROM PUBLIC;
COMMENT ON FUNCTION dba._check_map_entry(text, regclass, jsonb, integer, text[]) IS
'Internal step of the job check: returns the target column of column map entry p_ord of job p_job after refusing (FD010) an entry without a target string, a target that is load_id, not a column of p_rel or already in p_mapped, an unknown type, a "round" that is not a boolean, a date format without a date, a from_file_name that does not compile or a position that is not a number from 1; then its rules (dba._check_map_rules, which may raise 22023).';

COMMIT;
