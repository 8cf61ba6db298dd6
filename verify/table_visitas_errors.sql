-- Verify feeds:table_visitas_errors on pg
SELECT error_id, run_uuid, load_id, file_name, line_no, field, code, message, raw_value, raw_line, logged_at
  FROM visitas.errors WHERE false;
