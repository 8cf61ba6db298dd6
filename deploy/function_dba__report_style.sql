-- Deploy feeds:function_dba__report_style to pg
-- Generated from db/functions/dba._report_style.sql by bin/sync-functions: edit that file, not this one.
BEGIN;

-- dba._report_style: the inline CSS of one kind of element of the report HTML, in one place.
CREATE OR REPLACE FUNCTION dba._report_style(p_element text)
RETURNS text
LANGUAGE sql
IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   Internal; the parts of the run report (dba.build_run_report) style their elements with it, as
   mail clients drop style sheets:
     SELECT dba._report_style('td');    -- padding:4px 8px;border-bottom:1px solid #ddd;text-align:left
   'td' a table cell, 'num' a number cell, 'th' a header cell, 'h2' a part's heading; NULL else.
*/
SELECT CASE p_element
    WHEN 'td' THEN 'padding:4px 8px;border-bottom:1px solid #ddd;text-align:left'
    WHEN 'num' THEN 'padding:4px 8px;border-bottom:1px solid #ddd;text-align:right'
    WHEN 'th' THEN 'padding:4px 8px;border-bottom:2px solid #999;text-align:left;background:#f3f3f3'
    WHEN 'h2' THEN 'font-size:16px;margin:20px 0 6px 0;color:#333' END
$function$;

ALTER FUNCTION dba._report_style(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._report_style(text) FROM PUBLIC;
COMMENT ON FUNCTION dba._report_style(text) IS
'Internal: the inline CSS of a report HTML element: ''td'' (table cell), ''num'' (number cell), ''th'' (header cell), ''h2'' (heading of a part); NULL for anything else. Raises nothing.';

COMMIT;
