-- Deploy feeds:function_dba_log to pg
-- Generated from db/functions/dba.log.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba.log: write one step of a run to dba.tlogentry.
CREATE OR REPLACE FUNCTION dba.log(
    p_run_uuid     uuid,
    p_process_type text,
    p_message      text,
    p_level        text DEFAULT 'info',
    p_load_id      bigint DEFAULT NULL,
    p_user_name    text DEFAULT NULL,
    p_logged_at    timestamptz DEFAULT NULL,
    p_entry_uuid   uuid DEFAULT NULL
) RETURNS dba.tlogentry
LANGUAGE plpgsql
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql:
     SELECT * FROM dba.log(p_run_uuid => dba.start_run('psql'), p_process_type => 'psql',
                           p_message => 'hello');
   Shims replaying their fallback file pass p_logged_at and p_entry_uuid: a line already in
   the table is returned as it is, not inserted twice.
*/
DECLARE
    v_row   dba.tlogentry;
    v_at    timestamptz := coalesce(p_logged_at, clock_timestamp());
    v_prev  timestamptz;
    v_first timestamptz;
    v_step  integer;
BEGIN
    IF p_run_uuid IS NULL OR p_process_type IS NULL OR p_message IS NULL THEN
        RAISE EXCEPTION 'dba.log needs a run uuid, a process type and a message'
              USING ERRCODE = '22004';
    END IF;
    IF p_level NOT IN ('debug', 'info', 'warning', 'error') THEN
        RAISE EXCEPTION 'unknown log level "%"', p_level
              USING ERRCODE = '22023', HINT = 'Use debug, info, warning or error.';
    END IF;
    IF p_entry_uuid IS NOT NULL THEN
        SELECT * INTO v_row FROM dba.tlogentry WHERE entry_uuid = p_entry_uuid;
        IF FOUND THEN
            RETURN v_row;
        END IF;
    END IF;

    -- Serialise the writers of one run so step counters never collide.
    PERFORM pg_advisory_xact_lock(hashtextextended(p_run_uuid::text, 7411));
    SELECT max(step_counter), max(logged_at) FILTER (WHERE logged_at <= v_at), min(logged_at)
      INTO v_step, v_prev, v_first
      FROM dba.tlogentry
     WHERE run_uuid = p_run_uuid;

    INSERT INTO dba.tlogentry (entry_uuid, logged_at, run_uuid, process_type, step_counter, user_name,
                               step_runtime, total_runtime, level, load_id, message, replayed)
    VALUES (coalesce(p_entry_uuid, gen_random_uuid()), v_at, p_run_uuid, p_process_type,
            coalesce(v_step, 0) + 1, coalesce(p_user_name, session_user::text),
            greatest(v_at - coalesce(v_prev, v_at), interval '0'),
            greatest(v_at - least(coalesce(v_first, v_at), v_at), interval '0'),
            p_level, p_load_id, p_message, p_logged_at IS NOT NULL)
    ON CONFLICT (entry_uuid) DO NOTHING
    RETURNING * INTO v_row;
    IF v_row.log_id IS NULL THEN
        SELECT * INTO v_row FROM dba.tlogentry WHERE entry_uuid = p_entry_uuid;
    END IF;
    RETURN v_row;
END
$function$;

ALTER FUNCTION dba.log(uuid, text, text, text, bigint, text, timestamptz, uuid) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.log(uuid, text, text, text, bigint, text, timestamptz, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.log(uuid, text, text, text, bigint, text, timestamptz, uuid) TO feeds_etl;
COMMENT ON FUNCTION dba.log(uuid, text, text, text, bigint, text, timestamptz, uuid) IS
'Writes one step of a run to dba.tlogentry, computing the step counter and the step and total runtimes of the run, and returns the row. With p_entry_uuid the call is idempotent (fallback replay). Raises 22004 on a missing run, process type or message, 22023 on an unknown level.';

COMMIT;
