-- Deploy feeds:function_dba__take_fast_way to pg
-- Generated from db/functions/dba._take_fast_way.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._take_fast_way: try one fast way for a load; the one place a failed attempt is caught.
CREATE OR REPLACE FUNCTION dba._take_fast_way(p_load_id bigint, p_path text DEFAULT NULL, p_quote_free boolean DEFAULT false,
                                              OUT outcome dba.tdataloads, OUT row_failed boolean)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; dba._load_file() tries the direct path (p_path, a file the server reads), then
   the one pass over the staged lines (p_path NULL):
     SELECT (f.outcome).status, f.row_failed FROM dba._take_fast_way(42, '/srv/…/a.csv', true) f;
   outcome is the load when the fast way took it (loaded), else NULL, and path_note says why
   (dba._leave_fast_way). A file with quotes takes the direct path only when every quoted line is
   strict CSV (dba._strict_csv; p_quote_free: the caller saw no quote character). The attempt
   (dba._load_fast_way) runs in a subtransaction. A row that breaks a rule does not end it (it
   is set aside); what does raises, because PostgreSQL leaves no other way: a value that does
   not cast (PostgreSQL 15 has no cast that does not raise), ON CONFLICT meeting a key twice,
   or FD098 when the rows already loaded must go (only an error rolls a subtransaction back).
   This is the one place that is caught, rolled back and turned into the reason.
   row_failed: a row's value ended the attempt, so a later fast way would end at the same row;
   not for 22P04 (a line COPY cannot read as fields may still be fine once staged).
*/
DECLARE
    v_way    text := CASE WHEN p_path IS NULL THEN 'one pass' ELSE 'direct path' END;
    v_reason text;
    v_state  text;
    v_msg    text;
BEGIN
    row_failed := false;
    BEGIN
        IF p_path IS NOT NULL AND NOT p_quote_free
           AND NOT dba._strict_csv(p_load_id, p_path, (SELECT c FROM dba.timportconfig c JOIN dba.tdataloads d USING (config_id)
                                                        WHERE d.load_id = p_load_id)) THEN
            v_reason := 'a quoted line is not strict CSV, or a quoted field spans lines';
        ELSE
            v_reason := dba._load_fast_way(p_load_id, p_path);
        END IF;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_msg = MESSAGE_TEXT;
        v_reason := format('%s [%s]', v_msg, v_state);
        row_failed := v_state <> '22P04';
    END;
    IF v_reason IS NULL THEN
        outcome := (SELECT d FROM dba.tdataloads d WHERE d.load_id = p_load_id);
        RETURN;
    END IF;
    PERFORM dba._leave_fast_way(p_load_id, v_way, v_reason);
    IF v_state IS NOT NULL THEN
        PERFORM dba.log(p_run_uuid => d.run_uuid, p_process_type => 'run_import', p_level => 'debug', p_load_id => p_load_id,
                        p_message => format('%s: %s left: %s', d.file_name, v_way, v_reason))
           FROM dba.tdataloads d WHERE d.load_id = p_load_id;
    END IF;
END
$function$;

ALTER FUNCTION dba._take_fast_way(bigint, text, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._take_fast_way(bigint, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION dba._take_fast_way(bigint, text, boolean) IS
'Internal: tries the direct path (p_path) or the one pass for a load in a subtransaction; returns the load when the fast way took it, else NULL with the reason in path_note, and whether a row''s value ended the attempt (row_failed). Never raises: what the attempt raises is rolled back and becomes the reason.';

COMMIT;
