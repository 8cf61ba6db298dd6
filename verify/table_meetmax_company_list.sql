-- Verify feeds:table_meetmax_company_list on pg
SELECT company_list_id, event_id, company_name, ticker, load_id
  FROM meetmax.company_list
 WHERE false;
SELECT 1/count(*) FROM pg_class WHERE oid = 'meetmax.company_list'::regclass AND relowner = 'feeds_owner'::regrole;
SELECT 1/count(*) FROM pg_constraint WHERE conname = 'company_list_event_company_key' AND contype = 'u';
