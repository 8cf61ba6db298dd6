-- Deploy feeds:table_dba_timportconfig_quoted_empty to pg
-- requires: table_dba_timportconfig
BEGIN;

ALTER TABLE dba.timportconfig
    ADD COLUMN quoted_empty text NOT NULL DEFAULT 'null_markers'
        CONSTRAINT timportconfig_quoted_empty_check CHECK (quoted_empty IN ('null_markers', 'empty_string'));
COMMENT ON COLUMN dba.timportconfig.quoted_empty IS
'What a quoted empty field ("") is: null_markers (default: like an unquoted empty field, so the null markers apply to it; "" is NULL with the default markers) or empty_string (always the empty string, as PostgreSQL''s COPY reads it; an unquoted empty field still follows the null markers).';

COMMIT;
