-- Verify feeds:table_dba_tundoimages on pg
SELECT load_id, undo_table, target_table, rows_kept, old_load_ids FROM dba.tundoimages WHERE false;
