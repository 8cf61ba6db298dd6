-- Verify feeds:table_dba_tdataloads_load_path on pg
SELECT load_path, path_note FROM dba.tdataloads WHERE false;
DO $$ BEGIN ASSERT (SELECT count(*) FROM pg_constraint WHERE conname = 'tdataloads_load_path_check') = 1; END $$;
