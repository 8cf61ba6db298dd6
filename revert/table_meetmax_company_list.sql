-- Revert feeds:table_meetmax_company_list from pg
BEGIN;

DROP TABLE meetmax.company_list;

COMMIT;
