-- Verify feeds:schema_undo on pg
DO $$ BEGIN ASSERT (SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = 'undo') = 'feeds_owner'; END $$;
