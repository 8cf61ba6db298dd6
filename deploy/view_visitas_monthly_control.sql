-- Deploy feeds:view_visitas_monthly_control to pg
-- requires: schema_visitas
-- requires: table_visitas_statistics
-- requires: table_dba_tdataloads
-- requires: table_dba_trun
-- requires: table_dba_timportconfig
BEGIN;

CREATE VIEW visitas.monthly_control AS
SELECT date_trunc('month', coalesce(r.as_of, d.started_at::date))::date               AS month,
       count(*)                                                                        AS files_processed,
       count(*) FILTER (WHERE d.status IN ('loaded', 'loaded_with_rejects'))           AS files_loaded,
       count(*) FILTER (WHERE d.status = 'loaded_with_rejects')                        AS files_with_rejects,
       count(*) FILTER (WHERE d.status = 'failed')                                     AS files_failed,
       count(*) FILTER (WHERE d.status = 'duplicate')                                  AS files_duplicate,
       coalesce(sum(d.rows_read) FILTER (WHERE d.status <> 'duplicate'), 0)::bigint    AS rows_processed,
       coalesce(sum(d.rows_inserted) FILTER (WHERE d.status IN ('loaded', 'loaded_with_rejects')), 0)::bigint
                                                                                       AS rows_loaded,
       coalesce(sum(d.rows_rejected) FILTER (WHERE d.status <> 'duplicate'), 0)::bigint AS rows_rejected
  FROM dba.tdataloads d
  JOIN dba.timportconfig c ON c.config_id = d.config_id
  LEFT JOIN dba.trun r ON r.run_uuid = d.run_uuid
 WHERE to_regclass(c.target_table) = 'visitas.statistics'::regclass
   AND d.status <> 'pending'
 GROUP BY 1;

ALTER VIEW visitas.monthly_control OWNER TO feeds_owner;
GRANT SELECT ON visitas.monthly_control TO feeds_etl, feeds_reader;

COMMENT ON VIEW visitas.monthly_control IS 'The monthly control report of the Visitas job: per month (of the run''s reference date, dba.trun.as_of), the files and rows processed, loaded and rejected, from dba.tdataloads. Pending attempts are left out; a duplicate file counts as processed but adds no rows.';
COMMENT ON COLUMN visitas.monthly_control.month IS 'First day of the month (of the run''s as_of, or of the load''s start when it had no run).';
COMMENT ON COLUMN visitas.monthly_control.files_processed IS 'File attempts that finished (loaded, with rejects, failed, duplicate or undone).';
COMMENT ON COLUMN visitas.monthly_control.files_loaded IS 'Files loaded (with or without rejected rows).';
COMMENT ON COLUMN visitas.monthly_control.files_with_rejects IS 'Files loaded with some rows rejected.';
COMMENT ON COLUMN visitas.monthly_control.files_failed IS 'Files rejected as a whole (layout, unreadable, reject limit).';
COMMENT ON COLUMN visitas.monthly_control.files_duplicate IS 'Files whose content had already been loaded (not loaded again).';
COMMENT ON COLUMN visitas.monthly_control.rows_processed IS 'Data rows read (duplicates left out).';
COMMENT ON COLUMN visitas.monthly_control.rows_loaded IS 'Rows inserted into visitas.statistics by loads that are still loaded.';
COMMENT ON COLUMN visitas.monthly_control.rows_rejected IS 'Rows rejected into dba.tloaderror.';

COMMIT;
