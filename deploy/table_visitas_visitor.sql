-- Deploy feeds:table_visitas_visitor to pg
-- requires: schema_visitas
BEGIN;

CREATE TABLE visitas.visitor (
    visitor_id        bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT visitor_pkey PRIMARY KEY,
    email             text NOT NULL CONSTRAINT visitor_email_key UNIQUE
                      CONSTRAINT visitor_email_lower CHECK (email = lower(btrim(email))),
    first_visit       timestamp NOT NULL,
    last_visit        timestamp NOT NULL,
    total_visits      integer NOT NULL CONSTRAINT visitor_total_visits_check CHECK (total_visits > 0),
    visits_this_year  integer NOT NULL DEFAULT 0,
    visits_this_month integer NOT NULL DEFAULT 0,
    counters_month    date NOT NULL
                      CONSTRAINT visitor_counters_month_check CHECK (counters_month = date_trunc('month', counters_month)),
    last_load_id      bigint,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT visitor_visits_order CHECK (first_visit <= last_visit),
    CONSTRAINT visitor_counters_check
        CHECK (0 <= visits_this_month AND visits_this_month <= visits_this_year AND visits_this_year <= total_visits)
);

ALTER TABLE visitas.visitor OWNER TO feeds_owner;
GRANT SELECT ON visitas.visitor TO feeds_etl, feeds_reader;

COMMENT ON TABLE visitas.visitor IS 'One row per e-mail address ever seen by the Visitas job; never emptied. Maintained by the post-load hook visitas.update_visitors().';
COMMENT ON COLUMN visitas.visitor.visitor_id IS 'Surrogate key.';
COMMENT ON COLUMN visitas.visitor.email IS 'The address, lower case and trimmed (Foo@X.com and foo@x.com are one visitor).';
COMMENT ON COLUMN visitas.visitor.first_visit IS 'Earliest Fecha envio of any of its rows.';
COMMENT ON COLUMN visitas.visitor.last_visit IS 'Latest Fecha envio of any of its rows.';
COMMENT ON COLUMN visitas.visitor.total_visits IS 'Valid rows ever loaded for the address (the same address twice in a file is two visits).';
COMMENT ON COLUMN visitas.visitor.visits_this_year IS 'Visits whose Fecha envio falls in the year of counters_month.';
COMMENT ON COLUMN visitas.visitor.visits_this_month IS 'Visits whose Fecha envio falls in the month counters_month.';
COMMENT ON COLUMN visitas.visitor.counters_month IS 'First day of the month the period counters refer to: the reference month (dba.trun.as_of) of the run that last updated the row. A later run in another month or year resets the counters first.';
COMMENT ON COLUMN visitas.visitor.last_load_id IS 'The load that last updated the row.';
COMMENT ON COLUMN visitas.visitor.updated_at IS 'When the row was last updated.';

COMMIT;
