-- Verify feeds:view_visitas_monthly_control on pg
SELECT month, files_processed, files_loaded, files_with_rejects, files_failed, files_duplicate,
       rows_processed, rows_loaded, rows_rejected
  FROM visitas.monthly_control WHERE false;
