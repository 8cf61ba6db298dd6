-- Verify feeds:constraint_dba_tdataloads_status_fkey on pg
SELECT 1 / count(*) FROM pg_constraint
 WHERE conname = 'tdataloads_status_fkey' AND conrelid = 'dba.tdataloads'::regclass AND contype = 'f';
