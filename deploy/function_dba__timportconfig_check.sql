-- Deploy feeds:function_dba__timportconfig_check to pg
-- Generated from db/functions/dba._timportconfig_check.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._timportconfig_check: refuse a job that cannot work, when it is inserted or updated.
CREATE OR REPLACE FUNCTION dba._timportconfig_check()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Runs BEFORE INSERT OR UPDATE on dba.timportconfig. Every refusal is FD010 and names the job
   and what is wrong:
     INSERT INTO dba.timportconfig (job_name, file_pattern, …, target_table, column_map)
     VALUES ('x', '^a(.csv$', …);   -- FD010: file_pattern does not compile
*/
DECLARE
    v_rel     regclass;
    v_entry   jsonb;
    v_ord     integer;
    v_target  text;
    v_type    text;
    v_targets text[] := '{}';
    v_key     text;
    v_rule    text;
    v_hook    regprocedure;
    ex_msg    text;

BEGIN
    NEW.updated_at := now();
    BEGIN
        PERFORM '' ~ NEW.file_pattern;
    EXCEPTION WHEN invalid_regular_expression THEN
        GET STACKED DIAGNOSTICS ex_msg = MESSAGE_TEXT;
        RAISE EXCEPTION 'job %: file_pattern % does not compile: %', NEW.job_name, quote_literal(NEW.file_pattern), ex_msg
              USING ERRCODE = 'FD010', HINT = 'Use an anchored POSIX regular expression such as ^report_\d+\.txt$.';
    END;

    v_rel := to_regclass(NEW.target_table);
    IF v_rel IS NULL OR NEW.target_table !~ '^[^.]+\.[^.]+$' THEN
        RAISE EXCEPTION 'job %: target table % does not exist', NEW.job_name, quote_literal(NEW.target_table)
              USING ERRCODE = 'FD010', HINT = 'Create the table first and name it with its schema (schema.table).';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = v_rel AND attname = 'load_id'
                      AND atttypid = 'bigint'::regtype AND NOT attisdropped) THEN
        RAISE EXCEPTION 'job %: target table % has no load_id bigint column', NEW.job_name, v_rel
              USING ERRCODE = 'FD010',
                    HINT = format('ALTER TABLE %s ADD COLUMN load_id bigint;  -- every loaded row names its load', v_rel);
    END IF;
    IF NOT has_table_privilege('feeds_owner', v_rel, 'SELECT, INSERT, UPDATE, DELETE') THEN
        RAISE EXCEPTION 'job %: the engine (feeds_owner) may not write to %', NEW.job_name, v_rel
              USING ERRCODE = 'FD010', HINT = format('GRANT SELECT, INSERT, UPDATE, DELETE ON %s TO feeds_owner;', v_rel);
    END IF;

    FOR v_entry, v_ord IN SELECT e, n FROM jsonb_array_elements(NEW.column_map) WITH ORDINALITY AS a(e, n) LOOP
        IF jsonb_typeof(v_entry) <> 'object' OR jsonb_typeof(v_entry -> 'target') IS DISTINCT FROM 'string' THEN
            RAISE EXCEPTION 'job %: column_map entry % needs a "target" column name', NEW.job_name, v_ord
                  USING ERRCODE = 'FD010', DETAIL = v_entry::text;
        END IF;
        v_target := v_entry ->> 'target';
        IF v_target = 'load_id' OR NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = v_rel
                                                  AND attname = v_target AND attnum > 0 AND NOT attisdropped) THEN
            RAISE EXCEPTION 'job %: column_map entry % targets column % which % has not', NEW.job_name, v_ord,
                  quote_ident(v_target), v_rel
                  USING ERRCODE = 'FD010';
        END IF;
        IF v_target = ANY (v_targets) THEN
            RAISE EXCEPTION 'job %: column % is mapped twice', NEW.job_name, quote_ident(v_target) USING ERRCODE = 'FD010';
        END IF;
        v_targets := v_targets || v_target;
        v_type := coalesce(v_entry ->> 'type', 'text');
        IF NOT v_type = ANY (dba._map_vocabulary('type')) THEN
            RAISE EXCEPTION 'job %: column % has unknown type %', NEW.job_name, quote_ident(v_target), quote_literal(v_type)
                  USING ERRCODE = 'FD010', HINT = format('Types: %s.', array_to_string(dba._map_vocabulary('type'), ', '));
        END IF;
        IF v_entry ? 'round' AND jsonb_typeof(v_entry -> 'round') <> 'boolean' THEN
            RAISE EXCEPTION 'job %: "round" of column % must be true or false', NEW.job_name, quote_ident(v_target)
                  USING ERRCODE = 'FD010', HINT = '"round": true lets a value with more decimals than the column keeps be rounded.';
        END IF;
        IF v_type IN ('date', 'timestamp') THEN
            PERFORM dba._timestamp_sql('x', v_entry ->> 'format');  -- FD010 for a format without a date
        END IF;
        IF v_entry ? 'from_file_name' THEN
            BEGIN
                PERFORM '' ~ (v_entry ->> 'from_file_name');
            EXCEPTION WHEN invalid_regular_expression THEN
                RAISE EXCEPTION 'job %: from_file_name of column % does not compile', NEW.job_name, quote_ident(v_target)
                      USING ERRCODE = 'FD010';
            END;
        ELSIF v_entry ? 'position' AND (jsonb_typeof(v_entry -> 'position') <> 'number'
                                        OR (v_entry ->> 'position')::numeric < 1) THEN
            RAISE EXCEPTION 'job %: position of column % must be a number from 1', NEW.job_name, quote_ident(v_target)
                  USING ERRCODE = 'FD010';
        END IF;
        IF v_entry ? 'rules' THEN
            FOR v_rule IN SELECT jsonb_object_keys(v_entry -> 'rules') LOOP
                IF NOT v_rule = ANY (dba._map_vocabulary('rule')) THEN
                    RAISE EXCEPTION 'job %: column % has unknown rule %', NEW.job_name, quote_ident(v_target), quote_literal(v_rule)
                          USING ERRCODE = 'FD010', HINT = format('Rules: %s.', array_to_string(dba._map_vocabulary('rule'), ', '));
                END IF;
            END LOOP;
            IF v_entry -> 'rules' ? 'regex' THEN
                BEGIN
                    PERFORM '' ~ (v_entry -> 'rules' ->> 'regex');
                EXCEPTION WHEN invalid_regular_expression THEN
                    RAISE EXCEPTION 'job %: the regex rule of column % does not compile', NEW.job_name, quote_ident(v_target)
                          USING ERRCODE = 'FD010';
                END;
            END IF;
            IF v_entry -> 'rules' ? 'allowed' AND jsonb_typeof(v_entry -> 'rules' -> 'allowed') <> 'array' THEN
                RAISE EXCEPTION 'job %: the allowed rule of column % must be a JSON array', NEW.job_name, quote_ident(v_target)
                      USING ERRCODE = 'FD010';
            END IF;
        END IF;
    END LOOP;

    FOREACH v_key IN ARRAY NEW.key_columns LOOP
        IF NOT v_key = ANY (v_targets) THEN
            RAISE EXCEPTION 'job %: key column % is not in the column map', NEW.job_name, quote_ident(v_key)
                  USING ERRCODE = 'FD010';
        END IF;
    END LOOP;
    IF NEW.load_mode = 'upsert' AND NOT EXISTS (
           SELECT 1 FROM pg_index i
            WHERE i.indrelid = v_rel AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL
              AND (SELECT array_agg(a.attname::text ORDER BY a.attname)
                     FROM pg_attribute a WHERE a.attrelid = v_rel AND a.attnum = ANY (i.indkey))
                  = (SELECT array_agg(k ORDER BY k) FROM unnest(NEW.key_columns) k)) THEN
        RAISE EXCEPTION 'job %: upsert needs a unique index on % (%)', NEW.job_name, v_rel, array_to_string(NEW.key_columns, ', ')
              USING ERRCODE = 'FD010',
                    HINT = format('CREATE UNIQUE INDEX ON %s (%s);', v_rel, array_to_string(NEW.key_columns, ', '));
    END IF;

    IF NEW.post_load_hook IS NOT NULL THEN
        v_hook := to_regprocedure(NEW.post_load_hook || '(bigint)');
        IF v_hook IS NULL THEN
            RAISE EXCEPTION 'job %: post-load hook %(bigint) does not exist', NEW.job_name, NEW.post_load_hook
                  USING ERRCODE = 'FD010', HINT = 'Name a function schema.name(p_load_id bigint).';
        END IF;
    END IF;
    IF array_position(NEW.null_markers, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'job %: null_markers may not contain NULL', NEW.job_name USING ERRCODE = 'FD010';
    END IF;
    RETURN NEW;
END
$function$;

ALTER FUNCTION dba._timportconfig_check() OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._timportconfig_check() FROM PUBLIC;
COMMENT ON FUNCTION dba._timportconfig_check() IS
'Internal trigger function: refuses (FD010) a job whose file_pattern or rules do not compile, whose target table is missing, lacks load_id or is not writable by feeds_owner, whose column map names unknown columns or types, whose key columns are not mapped or (upsert) have no unique index, or whose post-load hook does not exist.';

CREATE TRIGGER timportconfig_check
    BEFORE INSERT OR UPDATE ON dba.timportconfig
    FOR EACH ROW EXECUTE FUNCTION dba._timportconfig_check();

COMMIT;
