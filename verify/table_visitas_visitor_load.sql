-- Verify feeds:table_visitas_visitor_load on pg
SELECT visitor_load_id, load_id, email, visits, first_visit, last_visit, visits_in_year, visits_in_month, counters_month
  FROM visitas.visitor_load WHERE false;
