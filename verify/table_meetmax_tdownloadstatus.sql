-- Verify feeds:table_meetmax_tdownloadstatus on pg
SELECT status, to_save, is_fine, description FROM meetmax.tdownloadstatus WHERE false;
SELECT 1 / (count(*) = 6)::int FROM meetmax.tdownloadstatus;
