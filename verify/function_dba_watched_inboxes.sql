-- Verify feeds:function_dba_watched_inboxes on pg
DO $$ BEGIN ASSERT has_function_privilege('feeds_etl', 'dba.watched_inboxes()', 'execute'); END $$;
