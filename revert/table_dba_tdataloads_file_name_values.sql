-- Revert feeds:table_dba_tdataloads_file_name_values from pg
BEGIN;

DROP INDEX dba.tdataloads_config_file_name_idx;
DROP INDEX dba.tdataloads_config_sha256_key;
ALTER TABLE dba.tdataloads DROP COLUMN file_name_values;
CREATE UNIQUE INDEX tdataloads_config_sha256_key ON dba.tdataloads (config_id, sha256)
    WHERE status IN ('pending', 'loaded', 'loaded_with_rejects');

COMMIT;
