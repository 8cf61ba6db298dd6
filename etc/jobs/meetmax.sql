-- The MeetMax jobs: check CSVs into meetmax.url_check, downloaded company lists into
-- meetmax.company_list (see docs/meetmax.md).
--
--   psql -v ON_ERROR_STOP=1 -v base_dir=/home/etl/meetmax -f etc/jobs/meetmax.sql
--
-- Directories under :base_dir: inbox/ (where feeds meetmax check|download drop files and the watcher
-- looks), processing/ (the engine reads only here; the watcher puts <list>.xls.csv next to each
-- list), archive/, failed/ (with a .reason.txt). The database server must be able to read
-- processing/ (group etl_group, 2770). Run as the owner (or a superuser); running it again updates
-- the jobs in place.
\set ON_ERROR_STOP on

INSERT INTO dba.timportconfig AS c (
    job_name, enabled, priority, file_pattern,
    inbox_dir, processing_dir, archive_dir, failed_dir,
    file_type, delimiter, quote_char, encoding, has_header, skip_lines, null_markers,
    target_table, column_map, load_mode, key_columns, duplicate_key_policy, header_policy)
VALUES (
    -- One row per event; the latest check wins. A check that ended in an error or was still rate
    -- limited (Title "[error: …]" or "[rate limited]") is rejected by the Title rule, so it never
    -- overwrites a good earlier check. A login page is an answer: the row loads with IfExists and
    -- IsPrivate empty (nothing is known about the event) and Title "[login required]".
    'meetmax_url_check', true, 100, '^\d{8}T\d{6}_MeetMaxURLCheck\.csv$',
    :'base_dir' || '/inbox', :'base_dir' || '/processing', :'base_dir' || '/archive', :'base_dir' || '/failed',
    'csv', ',', '"', 'UTF8', true, 0, '{""}',
    'meetmax.url_check',
    $json$[
      {"source": "EventID",        "target": "event_id",         "type": "integer", "required": true, "rules": {"min": 1}},
      {"source": "URL",            "target": "url",              "type": "text",    "required": true},
      {"source": "IfExists",       "target": "if_exists",        "type": "boolean"},
      {"source": "IsPrivate",      "target": "is_private",       "type": "boolean"},
      {"source": "InvalidEventID", "target": "invalid_event_id", "type": "boolean"},
      {"source": "IsDownloadable", "target": "is_downloadable",  "type": "boolean"},
      {"source": "DownloadLink",   "target": "download_link",    "type": "text"},
      {"source": "StatusCode",     "target": "status_code",      "type": "integer", "rules": {"min": 100, "max": 599}},
      {"source": "Title",          "target": "title",            "type": "text",
       "rules": {"regex": "^(?!\\[(error|rate limited))"}},
      {"source": "CheckedAt",      "target": "checked_at",       "type": "timestamp", "format": "ISO", "required": true}
    ]$json$::jsonb,
    'upsert', '{event_id}', 'last_wins', 'strict'),
(
    -- Company lists: converted to CSV by the watcher; the event id comes from the file name; the
    -- header variants of the site map to the same columns; other and blank columns are ignored,
    -- but a list without a company-name or a ticker column fails (FD020) and waits in failed/.
    'meetmax_company_list', true, 100, '^\d{8}T\d{6}_MeetMax_\d+\.xls$',
    :'base_dir' || '/inbox', :'base_dir' || '/processing', :'base_dir' || '/archive', :'base_dir' || '/failed',
    'xls', ',', '"', 'UTF8', true, 0, '{"", "-", "N/A"}',
    'meetmax.company_list',
    $json$[
      {"target": "event_id", "type": "integer", "from_file_name": "_MeetMax_(\\d+)\\.xls$"},
      {"source": ["Company Name", "Company/Organization", "Company", "Organization"],
       "target": "company_name", "type": "text", "required": true},
      {"source": ["Ticker", "Company Ticker", "Symbol"], "target": "ticker", "type": "text"}
    ]$json$::jsonb,
    'upsert', '{event_id,company_name}', 'last_wins', 'ignore_extra')
ON CONFLICT ON CONSTRAINT timportconfig_job_name_key DO UPDATE SET
    file_pattern = excluded.file_pattern,
    inbox_dir = excluded.inbox_dir, processing_dir = excluded.processing_dir,
    archive_dir = excluded.archive_dir, failed_dir = excluded.failed_dir,
    file_type = excluded.file_type, delimiter = excluded.delimiter, quote_char = excluded.quote_char,
    encoding = excluded.encoding, has_header = excluded.has_header, skip_lines = excluded.skip_lines,
    null_markers = excluded.null_markers, target_table = excluded.target_table,
    column_map = excluded.column_map, load_mode = excluded.load_mode, key_columns = excluded.key_columns,
    duplicate_key_policy = excluded.duplicate_key_policy, header_policy = excluded.header_policy;
