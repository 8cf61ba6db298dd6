-- dba._html_escape: a data value made safe for HTML text and quoted attribute values.
CREATE OR REPLACE FUNCTION dba._html_escape(p_value text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From psql (as feeds_owner):
     SELECT dba._html_escape('<b>"R&D"</b>');   -- &lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;
   NULL becomes the empty string. The & goes first so nothing is escaped twice.
*/
SELECT replace(replace(replace(replace(replace(coalesce(p_value, ''),
       '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;'), '''', '&#39;');
$function$;

ALTER FUNCTION dba._html_escape(text) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba._html_escape(text) FROM PUBLIC;
COMMENT ON FUNCTION dba._html_escape(text) IS
'Internal: escapes & < > " and '' of a data value for HTML (NULL gives ''''). Used for every data value in the report HTML. Raises nothing.';
