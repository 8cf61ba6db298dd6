-- Verify feeds:table_visitas_statistics on pg
SELECT statistics_id, load_id, line_no, email, jyv, badmail, baja, fecha_envio, fecha_open, opens,
       opens_virales, fecha_click, clicks, clicks_virales, links, ips, navegadores, plataformas
  FROM visitas.statistics WHERE false;
