-- visitas.undo_visitors: the undo hook of the Visitas job; takes a load's visits out again.
-- requires: table_visitas_visitor_load
CREATE OR REPLACE FUNCTION visitas.undo_visitors(p_load_id bigint)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Called by dba.undo_load() (and a supersede) through dba.timportconfig.undo_hook, in the undo's
   transaction, as feeds_owner. By hand, as the owner:
     SELECT visitas.undo_visitors(42);   -- visitors whose counters load 42 had touched
   Deletes what the load added (visitas.visitor_load) and computes each touched visitor again
   from what the remaining loads added, as if the load had never come: totals and first/last
   visit over all of them; the period counters of the latest reference month among them, the
   year counter summed over the loads of that year. A visitor no load counts any more is
   deleted. Returns the visitors updated or deleted; 0 for a load that added nothing.
*/
DECLARE
    v_emails text[];
    v_gone   integer;
    v_kept   integer;
BEGIN
    WITH gone AS (DELETE FROM visitas.visitor_load l WHERE l.load_id = p_load_id RETURNING l.email)
    SELECT coalesce(array_agg(DISTINCT email), '{}') INTO v_emails FROM gone;

    DELETE FROM visitas.visitor v
     WHERE v.email = ANY (v_emails) AND NOT EXISTS (SELECT 1 FROM visitas.visitor_load l WHERE l.email = v.email);
    GET DIAGNOSTICS v_gone = ROW_COUNT;

    WITH per_visitor AS (
        SELECT l.email, sum(l.visits)::int AS total, min(l.first_visit) AS first_visit,
               max(l.last_visit) AS last_visit, max(l.counters_month) AS period,
               max(l.load_id) AS last_load_id
          FROM visitas.visitor_load l
         WHERE l.email = ANY (v_emails)
         GROUP BY l.email)
    UPDATE visitas.visitor v
       SET total_visits      = p.total,
           first_visit       = p.first_visit,
           last_visit        = p.last_visit,
           counters_month    = p.period,
           visits_this_year  = (SELECT coalesce(sum(l.visits_in_year), 0) FROM visitas.visitor_load l
                                 WHERE l.email = p.email AND date_trunc('year', l.counters_month) = date_trunc('year', p.period)),
           visits_this_month = (SELECT coalesce(sum(l.visits_in_month), 0) FROM visitas.visitor_load l
                                 WHERE l.email = p.email AND l.counters_month = p.period),
           last_load_id      = p.last_load_id,
           updated_at        = now()
      FROM per_visitor p
     WHERE v.email = p.email;
    GET DIAGNOSTICS v_kept = ROW_COUNT;
    RETURN v_gone + v_kept;
END
$function$;

ALTER FUNCTION visitas.undo_visitors(bigint) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION visitas.undo_visitors(bigint) FROM PUBLIC;
COMMENT ON FUNCTION visitas.undo_visitors(bigint) IS
'Undo hook of the Visitas job: deletes what the load added to visitas.visitor_load and computes the touched visitors again from what the other loads added (a visitor no load counts any more is deleted), as if the load had never come. Returns the visitors updated or deleted. Raises nothing. Executable by the owner (the engine) only.';
