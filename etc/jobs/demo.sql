-- The demo jobs: the bundled samples (samples/, see bin/make-samples) loaded into schema demo.
--
--   psql -v ON_ERROR_STOP=1 -v base_dir=/path/to/var/demo -f etc/jobs/demo.sql
--
-- bin/demo-run runs this with base_dir=<repo>/var/demo. Directories under :base_dir: inbox/
-- (where files arrive and the watcher looks), processing/ (the engine reads only here; Excel files
-- get <name>.csv beside them), archive/ (one zip per load), failed/ (with a .reason.txt). The
-- database server must be able to read processing/ (group etl_group, 2770). Run as a superuser
-- (it creates the demo schema); running it again changes nothing that exists and updates the jobs.
\set ON_ERROR_STOP on

CREATE SCHEMA IF NOT EXISTS demo AUTHORIZATION feeds_owner;
COMMENT ON SCHEMA demo IS 'Demo job tables, loaded from the bundled samples by bin/demo-run.';

CREATE TABLE IF NOT EXISTS demo.customers (
    customer_id integer NOT NULL CONSTRAINT customers_pkey PRIMARY KEY,
    name        text NOT NULL,
    email       text NOT NULL,
    signup_date date,
    load_id     bigint
);
CREATE TABLE IF NOT EXISTS demo.orders (
    order_no    text NOT NULL CONSTRAINT orders_pkey PRIMARY KEY,
    customer_id integer NOT NULL,
    amount      numeric(12, 2) NOT NULL,
    ordered_on  date NOT NULL,
    paid        boolean NOT NULL DEFAULT false,
    load_id     bigint
);
CREATE TABLE IF NOT EXISTS demo.companies (
    company     text NOT NULL,
    ticker      text,
    attendees   integer,
    load_id     bigint
);
ALTER TABLE demo.customers OWNER TO feeds_owner;
ALTER TABLE demo.orders OWNER TO feeds_owner;
ALTER TABLE demo.companies OWNER TO feeds_owner;
GRANT USAGE ON SCHEMA demo TO feeds_etl, feeds_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA demo TO feeds_etl, feeds_reader;
COMMENT ON TABLE demo.customers IS 'Demo: customers from customers_YYYYMMDD.csv (upsert on customer_id).';
COMMENT ON TABLE demo.orders IS 'Demo: orders from orders_YYYYMMDD.xlsx and orders_legacy_YYYYMMDD.xls (upsert on order_no).';
COMMENT ON TABLE demo.companies IS 'Demo: company lists from companies_YYYYMMDD.xls, an HTML table saved as .xls.';

INSERT INTO dba.timportconfig AS c (
    job_name, enabled, priority, file_pattern,
    inbox_dir, processing_dir, archive_dir, failed_dir,
    file_type, sheet_name, target_table, column_map, load_mode, key_columns, duplicate_key_policy,
    header_policy)
VALUES
(   'demo_customers', true, 100, '^customers_\d{8}\.csv$',
    :'base_dir' || '/inbox', :'base_dir' || '/processing', :'base_dir' || '/archive', :'base_dir' || '/failed',
    'csv', NULL, 'demo.customers',
    $json$[
      {"source": "customer_id", "target": "customer_id", "type": "integer", "required": true, "rules": {"min": 1}},
      {"source": "name",        "target": "name",        "type": "text",    "required": true},
      {"source": "email",       "target": "email",       "type": "text",    "required": true, "rules": {"email": true}},
      {"source": "signup_date", "target": "signup_date", "type": "date",    "format": "YYYY-MM-DD"}
    ]$json$::jsonb,
    'upsert', '{customer_id}', 'last_wins', 'strict'),
(   'demo_orders', true, 100, '^orders_\d{8}\.xlsx$',
    :'base_dir' || '/inbox', :'base_dir' || '/processing', :'base_dir' || '/archive', :'base_dir' || '/failed',
    'xlsx', 'Orders', 'demo.orders',
    $json$[
      {"source": "order_no",    "target": "order_no",    "type": "text",    "required": true, "rules": {"regex": "^\\d{6}$"}},
      {"source": "customer_id", "target": "customer_id", "type": "integer", "required": true},
      {"source": "amount",      "target": "amount",      "type": "numeric", "required": true, "rules": {"min": 0}},
      {"source": "ordered_on",  "target": "ordered_on",  "type": "date",    "format": "YYYY-MM-DD", "required": true},
      {"source": "paid",        "target": "paid",        "type": "boolean"}
    ]$json$::jsonb,
    'upsert', '{order_no}', 'last_wins', 'strict'),
(   'demo_companies', true, 100, '^companies_\d{8}\.xls$',
    :'base_dir' || '/inbox', :'base_dir' || '/processing', :'base_dir' || '/archive', :'base_dir' || '/failed',
    'xls', NULL, 'demo.companies',
    $json$[
      {"source": "Company",   "target": "company",   "type": "text",    "required": true},
      {"source": "Ticker",    "target": "ticker",    "type": "text"},
      {"source": "Attendees", "target": "attendees", "type": "integer", "rules": {"min": 0}}
    ]$json$::jsonb,
    'append', '{}', 'reject', 'strict')
ON CONFLICT ON CONSTRAINT timportconfig_job_name_key DO UPDATE SET
    enabled = excluded.enabled, priority = excluded.priority, file_pattern = excluded.file_pattern,
    inbox_dir = excluded.inbox_dir, processing_dir = excluded.processing_dir,
    archive_dir = excluded.archive_dir, failed_dir = excluded.failed_dir,
    file_type = excluded.file_type, sheet_name = excluded.sheet_name, target_table = excluded.target_table,
    column_map = excluded.column_map, load_mode = excluded.load_mode, key_columns = excluded.key_columns,
    duplicate_key_policy = excluded.duplicate_key_policy, header_policy = excluded.header_policy;

-- Legacy XLS orders: the same columns as demo_orders, from another file name and type.
INSERT INTO dba.timportconfig AS c (
    job_name, enabled, priority, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,
    file_type, sheet_name, target_table, column_map, load_mode, key_columns, duplicate_key_policy, header_policy)
SELECT 'demo_orders_legacy', enabled, priority, '^orders_legacy_\d{8}\.xls$', inbox_dir, processing_dir,
       archive_dir, failed_dir, 'xls', NULL, target_table, column_map, load_mode, key_columns,
       duplicate_key_policy, header_policy
  FROM dba.timportconfig WHERE job_name = 'demo_orders'
ON CONFLICT ON CONSTRAINT timportconfig_job_name_key DO UPDATE SET
    (enabled, priority, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir, file_type, sheet_name,
     target_table, column_map, load_mode, key_columns, duplicate_key_policy, header_policy)
  = (excluded.enabled, excluded.priority, excluded.file_pattern, excluded.inbox_dir, excluded.processing_dir,
     excluded.archive_dir, excluded.failed_dir, excluded.file_type, excluded.sheet_name, excluded.target_table,
     excluded.column_map, excluded.load_mode, excluded.key_columns, excluded.duplicate_key_policy,
     excluded.header_policy);
