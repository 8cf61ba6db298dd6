-- Verify feeds:table_visitas_visitor on pg
SELECT visitor_id, email, first_visit, last_visit, total_visits, visits_this_year, visits_this_month,
       counters_month, last_load_id, updated_at
  FROM visitas.visitor WHERE false;
