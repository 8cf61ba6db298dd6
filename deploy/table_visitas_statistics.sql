-- Deploy feeds:table_visitas_statistics to pg
-- requires: schema_visitas
BEGIN;

CREATE TABLE visitas.statistics (
    statistics_id  bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT statistics_pkey PRIMARY KEY,
    load_id        bigint NOT NULL,
    line_no        bigint,
    email          text NOT NULL,
    jyv            text,
    badmail        text CONSTRAINT statistics_badmail_check CHECK (badmail = 'HARD'),
    baja           text CONSTRAINT statistics_baja_check CHECK (baja = 'SI'),
    fecha_envio    timestamp NOT NULL,
    fecha_open     timestamp,
    opens          integer CONSTRAINT statistics_opens_check CHECK (opens >= 0),
    opens_virales  integer CONSTRAINT statistics_opens_virales_check CHECK (opens_virales >= 0),
    fecha_click    timestamp,
    clicks         integer CONSTRAINT statistics_clicks_check CHECK (clicks >= 0),
    clicks_virales integer CONSTRAINT statistics_clicks_virales_check CHECK (clicks_virales >= 0),
    links          text,
    ips            text,
    navegadores    text,
    plataformas    text
);
CREATE INDEX statistics_load_id_idx ON visitas.statistics (load_id, line_no);

ALTER TABLE visitas.statistics OWNER TO feeds_owner;
GRANT SELECT ON visitas.statistics TO feeds_etl, feeds_reader;

COMMENT ON TABLE visitas.statistics IS 'One row per valid line of the Visitas report files of the latest run (load mode replace_per_run: emptied once at the start of each run). Written only by the engine (job visitas).';
COMMENT ON COLUMN visitas.statistics.statistics_id IS 'Surrogate key.';
COMMENT ON COLUMN visitas.statistics.load_id IS 'The load (dba.tdataloads) that inserted the row.';
COMMENT ON COLUMN visitas.statistics.line_no IS 'Line number in the file (1 = the header).';
COMMENT ON COLUMN visitas.statistics.email IS 'Column 1, email: the recipient address (validated as an e-mail address).';
COMMENT ON COLUMN visitas.statistics.jyv IS 'Column 2, whose header name varies from file to file and whose values are empty; kept as read.';
COMMENT ON COLUMN visitas.statistics.badmail IS 'Column Badmail: HARD for a hard bounce, else NULL.';
COMMENT ON COLUMN visitas.statistics.baja IS 'Column Baja: SI when the recipient unsubscribed, else NULL.';
COMMENT ON COLUMN visitas.statistics.fecha_envio IS 'Column Fecha envio (dd/mm/yyyy HH:MM): when the mail was sent; the date of the visit.';
COMMENT ON COLUMN visitas.statistics.fecha_open IS 'Column Fecha open: first open, NULL when - or empty.';
COMMENT ON COLUMN visitas.statistics.opens IS 'Column Opens: number of opens (non-negative).';
COMMENT ON COLUMN visitas.statistics.opens_virales IS 'Column Opens virales: opens by forwarded copies (non-negative).';
COMMENT ON COLUMN visitas.statistics.fecha_click IS 'Column Fecha click: first click, NULL when - or empty.';
COMMENT ON COLUMN visitas.statistics.clicks IS 'Column Clicks: number of clicks (non-negative).';
COMMENT ON COLUMN visitas.statistics.clicks_virales IS 'Column Clicks virales: clicks by forwarded copies (non-negative).';
COMMENT ON COLUMN visitas.statistics.links IS 'Column Links: one link or a comma-separated list, as text; NULL when - or empty.';
COMMENT ON COLUMN visitas.statistics.ips IS 'Column IPs: one address or a comma-separated list, as text; NULL when - or empty.';
COMMENT ON COLUMN visitas.statistics.navegadores IS 'Column Navegadores: browsers, one or a comma-separated list, as text; NULL when - or empty.';
COMMENT ON COLUMN visitas.statistics.plataformas IS 'Column Plataformas: platforms, one or a comma-separated list, as text; NULL when - or empty.';

COMMIT;
