-- Verify feeds:table_dba_tloadundo on pg
SELECT undo_id, load_id, target_table, old_load_id, row_image FROM dba.tloadundo WHERE false;
