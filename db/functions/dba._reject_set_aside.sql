-- dba._reject_set_aside: the lines a fast way set aside, validated in full and their rejects recorded.
CREATE OR REPLACE FUNCTION dba._reject_set_aside(p_load_id bigint, p_cfg dba.timportconfig, p_plan dba.load_plan,
                                                 p_src dba.load_source)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; step 5 of dba._load_fast_way(), after its statement loaded every plainly valid row
   and set the others aside (dba._set_aside, dba.tsetaside):
     SELECT dba._reject_set_aside(42, cfg, plan, src);   -- the lines rejected
   The raw lines of just those line numbers are read again (the staged records, or on the
   direct path the file's raw lines through dba._raw_lines, one streamed pass) into
   stage.load_<id>_x (line_no, raw) and go through full validation's validate step
   (dba._validate_rows, same plan), which records every failure with line, column, value and
   raw line exactly as full validation of the whole file would. Returns the lines rejected: when
   that is fewer than the lines set aside, a line set aside is valid after all (its value only
   valid once trimmed, say) and the caller must leave the fast way. dba.tsetaside keeps nothing.
*/
DECLARE
    v_src dba.load_source := p_src;
    v_raw text;
    v_rej bigint;
BEGIN
    v_src.relation := format('stage.%I', 'load_' || p_load_id || '_x');
    IF p_src.relation IS NULL THEN
        v_raw := dba._raw_lines(p_load_id, p_src.path, p_cfg.encoding);
        EXECUTE format('CREATE UNLOGGED TABLE %s AS
                        SELECT r.line_no, r.raw FROM (SELECT row_number() OVER () AS line_no, raw FROM %s) r
                         WHERE r.line_no IN (SELECT a.line_no FROM dba.tsetaside a WHERE a.load_id = $1)', v_src.relation, v_raw)
        USING p_load_id;
        EXECUTE format('DROP FOREIGN TABLE %s', v_raw);
    ELSE
        EXECUTE format('CREATE UNLOGGED TABLE %s AS
                        SELECT s.line_no, s.raw FROM %s s
                         WHERE s.line_no IN (SELECT a.line_no FROM dba.tsetaside a WHERE a.load_id = $1)', v_src.relation, p_src.relation)
        USING p_load_id;
    END IF;
    DELETE FROM dba.tsetaside WHERE load_id = p_load_id;
    v_rej := dba._validate_rows(p_load_id, p_cfg, p_plan, v_src);
    EXECUTE format('DROP TABLE %s', v_src.relation);
    RETURN v_rej;
END
$function$;

ALTER FUNCTION dba._reject_set_aside(bigint, dba.timportconfig, dba.load_plan, dba.load_source) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._reject_set_aside(bigint, dba.timportconfig, dba.load_plan, dba.load_source) FROM PUBLIC;
COMMENT ON FUNCTION dba._reject_set_aside(bigint, dba.timportconfig, dba.load_plan, dba.load_source) IS
'Internal: reads the raw lines a fast way set aside (dba.tsetaside) again, validates them as full validation does (dba._validate_rows), recording every reject, and returns the number of lines rejected. Raises what reading the file raises.';
