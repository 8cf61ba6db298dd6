-- visitas.update_visitors: the post-load hook of the Visitas job; one visit per valid row.
-- requires: table_visitas_visitor
-- requires: table_visitas_statistics
-- requires: table_dba_trun
-- requires: function_visitas_collect_errors
CREATE OR REPLACE FUNCTION visitas.update_visitors(p_load_id bigint)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Called by the engine after each load of the job (dba.timportconfig.post_load_hook), in the
   load's transaction, as feeds_owner. By hand, as the owner:
     SELECT visitas.update_visitors(42);   -- visitors inserted or updated by load 42
   "Current" period = the month of dba.trun.as_of of the load's run (today when the load has no run).
   A visitor's year/month counters are reset first when the period they refer to
   (counters_month) is not the current one. What the load adds is kept in visitas.visitor_load
   (visitas.undo_visitors takes it out on an undo); a second call for the same load adds nothing.
   Raises FD001 when the load does not exist.
*/
DECLARE
    v_month date;
    v_run   uuid;
    v_count integer;
BEGIN
    SELECT date_trunc('month', coalesce(r.as_of, current_date))::date, d.run_uuid
      INTO v_month, v_run
      FROM dba.tdataloads d
      LEFT JOIN dba.trun r ON r.run_uuid = d.run_uuid
     WHERE d.load_id = p_load_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'load % does not exist', p_load_id
              USING ERRCODE = 'FD001', HINT = 'SELECT load_id, file_name FROM dba.tdataloads ORDER BY load_id DESC;';
    END IF;

    -- What this load adds, kept per visitor (visitas.visitor_load) so that an undo can take it
    -- out again; a load already counted adds nothing.
    WITH added AS (
        INSERT INTO visitas.visitor_load (load_id, email, visits, first_visit, last_visit, visits_in_year,
                                          visits_in_month, counters_month)
        SELECT p_load_id, lower(btrim(s.email)), count(*), min(s.fecha_envio), max(s.fecha_envio),
               count(*) FILTER (WHERE date_trunc('year', s.fecha_envio) = date_trunc('year', v_month)),
               count(*) FILTER (WHERE date_trunc('month', s.fecha_envio) = v_month), v_month
          FROM visitas.statistics s
         WHERE s.load_id = p_load_id
         GROUP BY lower(btrim(s.email))
        ON CONFLICT ON CONSTRAINT visitor_load_key DO NOTHING
        RETURNING *)
    INSERT INTO visitas.visitor AS v (email, first_visit, last_visit, total_visits, visits_this_year,
                                      visits_this_month, counters_month, last_load_id, updated_at)
    SELECT a.email, a.first_visit, a.last_visit, a.visits, a.visits_in_year, a.visits_in_month, a.counters_month,
           p_load_id, now()
      FROM added a
    ON CONFLICT ON CONSTRAINT visitor_email_key DO UPDATE SET
        first_visit       = least(v.first_visit, excluded.first_visit),
        last_visit        = greatest(v.last_visit, excluded.last_visit),
        total_visits      = v.total_visits + excluded.total_visits,
        visits_this_year  = CASE WHEN date_trunc('year', v.counters_month) = date_trunc('year', excluded.counters_month)
                                 THEN v.visits_this_year ELSE 0 END + excluded.visits_this_year,
        visits_this_month = CASE WHEN v.counters_month = excluded.counters_month
                                 THEN v.visits_this_month ELSE 0 END + excluded.visits_this_month,
        counters_month    = excluded.counters_month,
        last_load_id      = excluded.last_load_id,
        updated_at        = excluded.updated_at;
    GET DIAGNOSTICS v_count = ROW_COUNT;

    IF v_run IS NOT NULL THEN
        PERFORM visitas.collect_errors(v_run);
    END IF;
    RETURN v_count;
END
$function$;

ALTER FUNCTION visitas.update_visitors(bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION visitas.update_visitors(bigint) FROM PUBLIC;
COMMENT ON FUNCTION visitas.update_visitors(bigint) IS
'Post-load hook of the Visitas job: counts every row the load put into visitas.statistics as one visit on its fecha_envio and merges them into visitas.visitor in one INSERT … ON CONFLICT (new address: first = last = its visits, total = their number; known address: earlier first, later last, totals added, year/month counters reset first when their period is not the month of the run''s as_of), keeping what each load added in visitas.visitor_load; a load already counted adds nothing. Also refreshes visitas.errors for the run. Returns the visitors inserted or updated. Raises FD001 when the load does not exist. Executable by the owner (the engine) only.';
