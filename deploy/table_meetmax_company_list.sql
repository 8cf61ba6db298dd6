-- Deploy feeds:table_meetmax_company_list to pg
-- requires: schema_meetmax
BEGIN;

CREATE TABLE meetmax.company_list (
    company_list_id bigint GENERATED ALWAYS AS IDENTITY
                    CONSTRAINT company_list_pkey PRIMARY KEY,
    event_id        integer NOT NULL
                    CONSTRAINT company_list_event_id_check CHECK (event_id > 0),
    company_name    text NOT NULL
                    CONSTRAINT company_list_company_name_check CHECK (btrim(company_name) <> ''),
    ticker          text,
    load_id         bigint NOT NULL,
    CONSTRAINT company_list_event_company_key UNIQUE (event_id, company_name)
);

CREATE INDEX company_list_load_id_idx ON meetmax.company_list (load_id);
CREATE INDEX company_list_ticker_idx ON meetmax.company_list (ticker) WHERE ticker IS NOT NULL;

ALTER TABLE meetmax.company_list OWNER TO feeds_owner;
GRANT SELECT ON meetmax.company_list TO feeds_reader;

COMMENT ON TABLE meetmax.company_list IS 'Companies attending each MeetMax event, loaded (upsert on event_id, company_name) from the downloaded YYYYMMDDTHHMMSS_MeetMax_<id>.xls lists.';
COMMENT ON COLUMN meetmax.company_list.company_list_id IS 'Surrogate key.';
COMMENT ON COLUMN meetmax.company_list.event_id IS 'MeetMax event id, taken from the file name (…_MeetMax_<id>.xls).';
COMMENT ON COLUMN meetmax.company_list.company_name IS 'Company name (header "Company Name", "Company/Organization" or "Company").';
COMMENT ON COLUMN meetmax.company_list.ticker IS 'Ticker symbol (header "Ticker" or "Company Ticker"); NULL for private companies.';
COMMENT ON COLUMN meetmax.company_list.load_id IS 'Load (dba.tdataloads) that wrote this row.';

COMMIT;
