-- Deploy feeds:function_dba__check_map_rules to pg
-- Generated from db/functions/dba._check_map_rules.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._check_map_rules: the rules of one column map entry are known and well formed.
CREATE OR REPLACE FUNCTION dba._check_map_rules(p_job text, p_target text, p_rules jsonb)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; called by dba._check_map_entry for an entry with "rules":
     SELECT dba._check_map_rules('orders', 'customer', '{"max_length": 80}');   -- nothing
     SELECT dba._check_map_rules('orders', 'customer', '{"shout": 1}');         -- FD010: unknown rule 'shout'
   Every rule is one of dba._map_vocabulary('rule'), a regex compiles, allowed is a JSON array.
   Rules that are not a JSON object raise jsonb_object_keys' 22023.
*/
DECLARE
    v_rule text;
BEGIN
    FOR v_rule IN SELECT jsonb_object_keys(p_rules) LOOP
        IF NOT v_rule = ANY (dba._map_vocabulary('rule')) THEN
            RAISE EXCEPTION 'job %: column % has unknown rule %', p_job, quote_ident(p_target), quote_literal(v_rule)
                  USING ERRCODE = 'FD010', HINT = format('Rules: %s.', array_to_string(dba._map_vocabulary('rule'), ', '));
        END IF;
    END LOOP;
    IF dba._regex_error(p_rules ->> 'regex') IS NOT NULL THEN
        RAISE EXCEPTION 'job %: the regex rule of column % does not compile', p_job, quote_ident(p_target)
              USING ERRCODE = 'FD010';
    END IF;
    IF p_rules ? 'allowed' AND jsonb_typeof(p_rules -> 'allowed') <> 'array' THEN
        RAISE EXCEPTION 'job %: the allowed rule of column % must be a JSON array', p_job, quote_ident(p_target)
              USING ERRCODE = 'FD010';
    END IF;
END
$function$;

ALTER FUNCTION dba._check_map_rules(text, text, jsonb) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._check_map_rules(text, text, jsonb) FROM PUBLIC;
COMMENT ON FUNCTION dba._check_map_rules(text, text, jsonb) IS
'Internal step of the job check: refuses (FD010) rules of a column map entry that are not in dba._map_vocabulary(''rule''), a regex rule that does not compile and an allowed rule that is not a JSON array; rules that are not a JSON object raise 22023.';

COMMIT;
