-- Deploy feeds:table_visitas_visitor_load to pg
-- requires: table_visitas_visitor
-- requires: table_dba_tdataloads
BEGIN;

CREATE TABLE visitas.visitor_load (
    visitor_load_id bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT visitor_load_pkey PRIMARY KEY,
    load_id         bigint CONSTRAINT visitor_load_load_id_fkey REFERENCES dba.tdataloads (load_id),
    email           text NOT NULL CONSTRAINT visitor_load_email_lower CHECK (email = lower(btrim(email))),
    visits          integer NOT NULL CONSTRAINT visitor_load_visits_check CHECK (visits > 0),
    first_visit     timestamp NOT NULL,
    last_visit      timestamp NOT NULL,
    visits_in_year  integer NOT NULL,
    visits_in_month integer NOT NULL,
    counters_month  date NOT NULL,
    CONSTRAINT visitor_load_key UNIQUE NULLS NOT DISTINCT (load_id, email),
    CONSTRAINT visitor_load_counters_check
        CHECK (0 <= visits_in_month AND visits_in_month <= visits_in_year AND visits_in_year <= visits)
);
CREATE INDEX visitor_load_email_idx ON visitas.visitor_load (email);

-- What the visitors held before this table existed becomes one baseline contribution each.
INSERT INTO visitas.visitor_load (load_id, email, visits, first_visit, last_visit, visits_in_year, visits_in_month,
                                  counters_month)
SELECT NULL, email, total_visits, first_visit, last_visit, visits_this_year, visits_this_month, counters_month
  FROM visitas.visitor;

ALTER TABLE visitas.visitor_load OWNER TO feeds_owner;
GRANT SELECT ON visitas.visitor_load TO feeds_etl, feeds_reader;

COMMENT ON TABLE visitas.visitor_load IS 'What each load added to each visitor (written by visitas.update_visitors): the visitor counters are the sum of these, so an undo (visitas.undo_visitors) takes exactly its visits out again.';
COMMENT ON COLUMN visitas.visitor_load.visitor_load_id IS 'Surrogate key.';
COMMENT ON COLUMN visitas.visitor_load.load_id IS 'The load (dba.tdataloads); NULL for the baseline of a visitor counted before this table existed.';
COMMENT ON COLUMN visitas.visitor_load.email IS 'The address, lower case and trimmed.';
COMMENT ON COLUMN visitas.visitor_load.visits IS 'Valid rows of the load for the address.';
COMMENT ON COLUMN visitas.visitor_load.first_visit IS 'Earliest Fecha envio of those rows.';
COMMENT ON COLUMN visitas.visitor_load.last_visit IS 'Latest Fecha envio of those rows.';
COMMENT ON COLUMN visitas.visitor_load.visits_in_year IS 'Those visits in the year of counters_month.';
COMMENT ON COLUMN visitas.visitor_load.visits_in_month IS 'Those visits in the month counters_month.';
COMMENT ON COLUMN visitas.visitor_load.counters_month IS 'The reference month (dba.trun.as_of) of the load''s run.';

COMMIT;
