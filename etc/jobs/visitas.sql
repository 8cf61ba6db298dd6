-- The Visitas job: report_<digits>.txt files pulled by SFTP, loaded into visitas.statistics.
--
--   psql -v ON_ERROR_STOP=1 -v base_dir=/home/etl/visitas -f etc/jobs/visitas.sql
--
-- Directories under :base_dir: inbox/ (where `feeds visitas run` or the watcher drops files),
-- processing/ (the engine reads only here), bckp/ (one zip per run), failed/ (layout failures with
-- a .reason.txt). The database server must be able to read processing/ (group etl_group, 2770).
-- Run as the owner (or a superuser); running it again updates the job in place.
\set ON_ERROR_STOP on

INSERT INTO dba.timportconfig AS c (
    job_name, enabled, priority, file_pattern,
    inbox_dir, processing_dir, archive_dir, failed_dir,
    file_type, delimiter, quote_char, encoding, has_header, skip_lines, null_markers,
    target_table, column_map, load_mode, header_policy, post_load_hook, undo_hook, resend_policy)
VALUES (
    'visitas', true, 100, '^report_\d+\.txt$',
    :'base_dir' || '/inbox', :'base_dir' || '/processing', :'base_dir' || '/bckp', :'base_dir' || '/failed',
    'txt', ',', '"', 'UTF8', true, 0, '{"", "-"}',
    'visitas.statistics',
    $json$[
      {"source": "email",          "target": "email",          "type": "text", "required": true, "rules": {"email": true}},
      {"source": null,             "target": "jyv",            "type": "text"},
      {"source": "Badmail",        "target": "badmail",        "type": "text", "rules": {"allowed": ["HARD"]}},
      {"source": "Baja",           "target": "baja",           "type": "text", "rules": {"allowed": ["SI"]}},
      {"source": "Fecha envio",    "target": "fecha_envio",    "type": "timestamp", "format": "DD/MM/YYYY HH24:MI", "required": true},
      {"source": "Fecha open",     "target": "fecha_open",     "type": "timestamp", "format": "DD/MM/YYYY HH24:MI"},
      {"source": "Opens",          "target": "opens",          "type": "integer", "rules": {"min": 0}},
      {"source": "Opens virales",  "target": "opens_virales",  "type": "integer", "rules": {"min": 0}},
      {"source": "Fecha click",    "target": "fecha_click",    "type": "timestamp", "format": "DD/MM/YYYY HH24:MI"},
      {"source": "Clicks",         "target": "clicks",         "type": "integer", "rules": {"min": 0}},
      {"source": "Clicks virales", "target": "clicks_virales", "type": "integer", "rules": {"min": 0}},
      {"source": "Links",          "target": "links",          "type": "text"},
      {"source": "IPs",            "target": "ips",            "type": "text"},
      {"source": "Navegadores",    "target": "navegadores",    "type": "text"},
      {"source": "Plataformas",    "target": "plataformas",    "type": "text"}
    ]$json$::jsonb,
    -- A corrected re-send of a report (same name, new content) supersedes the earlier load:
    -- its rows and its visits are taken out (visitas.undo_visitors), then the new file loads.
    'replace_per_run', 'strict', 'visitas.update_visitors', 'visitas.undo_visitors', 'supersede')
ON CONFLICT ON CONSTRAINT timportconfig_job_name_key DO UPDATE SET
    file_pattern = excluded.file_pattern,
    inbox_dir = excluded.inbox_dir, processing_dir = excluded.processing_dir,
    archive_dir = excluded.archive_dir, failed_dir = excluded.failed_dir,
    file_type = excluded.file_type, delimiter = excluded.delimiter, quote_char = excluded.quote_char,
    encoding = excluded.encoding, has_header = excluded.has_header, skip_lines = excluded.skip_lines,
    null_markers = excluded.null_markers, target_table = excluded.target_table,
    column_map = excluded.column_map, load_mode = excluded.load_mode,
    header_policy = excluded.header_policy, post_load_hook = excluded.post_load_hook,
    undo_hook = excluded.undo_hook, resend_policy = excluded.resend_policy;
