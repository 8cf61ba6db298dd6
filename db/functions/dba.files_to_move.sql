-- dba.files_to_move: what the runner must archive or quarantine after a run committed, and where to.
CREATE OR REPLACE FUNCTION dba.files_to_move(p_run_uuid uuid DEFAULT NULL, p_include_leftovers boolean DEFAULT false)
RETURNS TABLE (load_id bigint, status text, from_path text, to_dir text, reason text, to_name text,
               sha256 text, file_size bigint, back_to text)
LANGUAGE sql
STABLE
SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $function$
/*
   From the runner, after dba.run_import() committed:
     SELECT * FROM dba.files_to_move('<run uuid>', p_include_leftovers => true);
     SELECT * FROM dba.files_to_move();   -- every file not moved yet, of any run
   loaded, loaded_with_rejects, duplicate and undone files go to the job's archive_dir as one zip
   named to_name (<YYYYMMDD>-<load id>-<name>[.duplicate|.undone].zip); failed files to its
   failed_dir as to_name, with reason for the <to_name>.reason.txt beside them. Names longer
   than NAME_MAX allows are shortened (the load id keeps them unique): every to_name, with
   ".reason.txt" after it, fits in 255 bytes. Excel loads list the original workbook as well as
   the converted CSV. sha256 and file_size are what the load read, for the runner's check that
   the file did not change since. back_to, when set, overrides to_dir: a failed file that was not
   the registered one when the engine read it (FD016, dba._back_to_inbox) goes back to that path
   in the job's inbox, its converted CSV is removed, and the watcher takes it again. Then call
   dba.mark_moved() for each load.
   p_include_leftovers adds the files earlier runs left in processing: those of `feeds run`,
   of dba.run_import() in psql and of no run, and those of a watcher that finished or started
   more than 6 hours ago (one that may still be working keeps its files); never those of other
   programs (e.g. `feeds visitas run`, which archives its own).
*/
SELECT d.load_id, d.status, f.path,
       CASE WHEN d.status = 'failed' THEN c.failed_dir ELSE c.archive_dir END,
       CASE WHEN d.status = 'failed' THEN concat_ws(E'\n',
                format('%s failed [%s] %s', d.file_name, d.error_sqlstate, d.error_message),
                (SELECT string_agg(e.message, E'\n' ORDER BY e.line_no NULLS FIRST, e.error_id)
                   FROM (SELECT * FROM dba.tloaderror e WHERE e.load_id = d.load_id ORDER BY e.line_no NULLS FIRST, e.error_id LIMIT 20) e))
            WHEN d.status = 'duplicate' THEN d.error_message END,
       n.prefix || (SELECT left(n.stem, max(k)) FROM generate_series(0, length(n.stem)) k
                     WHERE k = length(n.stem) AND NOT n.cut
                        OR octet_length(n.prefix || left(n.stem, k) || '~' || n.suffix) <= n.budget)
                || CASE WHEN n.cut THEN '~' ELSE '' END || n.suffix,
       d.sha256, d.file_size, dba._back_to_inbox(d, c)
  FROM dba.tdataloads d
  JOIN dba.timportconfig c ON c.config_id = d.config_id
  LEFT JOIN dba.trun r ON r.run_uuid = d.run_uuid
 CROSS JOIN LATERAL (SELECT d.file_path AS path
                     UNION ALL
                     SELECT o.path FROM (SELECT dba.delivered_name(c.job_name, d.file_path) AS path) o
                      WHERE o.path <> d.file_path) f
 CROSS JOIN LATERAL (
        -- the archive holds the load's files under one name; a failed file keeps its own name
        SELECT CASE WHEN d.status = 'failed' THEN '' ELSE to_char(now(), 'YYYYMMDD-') || d.load_id || '-' END AS prefix,
               CASE WHEN d.status = 'failed' THEN substring(f.path FROM '[^/]*$') ELSE d.file_name END AS base) b
 CROSS JOIN LATERAL (
        -- NAME_MAX is 255 bytes: a failed file's name leaves room for ".reason.txt" and for the
        -- "<load id>-" the runner puts in front when the name is taken in failed_dir
        SELECT CASE WHEN d.status = 'failed' THEN 244 - length(d.load_id::text) - 1 ELSE 255 END AS budget,
               regexp_replace(b.base, '(\.[[:alnum:]]{1,8}){0,2}$', '') AS stem,
               substring(b.base FROM '((\.[[:alnum:]]{1,8}){0,2})$')
               || CASE d.status WHEN 'failed' THEN '' WHEN 'duplicate' THEN '.duplicate.zip'
                                WHEN 'undone' THEN '.undone.zip' ELSE '.zip' END AS suffix) s
 CROSS JOIN LATERAL (
        -- too long: the end of the name is cut (its extension kept, "~" marks the cut) and a failed
        -- file gets the load id in front, so shortened names stay unique
        SELECT s.budget, s.stem, s.suffix, octet_length(b.prefix || b.base || s.suffix) > s.budget AS cut,
               CASE WHEN octet_length(b.prefix || b.base || s.suffix) > s.budget AND d.status = 'failed'
                    THEN d.load_id || '-' ELSE b.prefix END AS prefix) n
 WHERE (p_run_uuid IS NULL OR d.run_uuid = p_run_uuid
        OR p_include_leftovers AND d.run_uuid IS DISTINCT FROM p_run_uuid
           AND (d.run_uuid IS NULL OR r.process_type IN ('run_import', 'feeds_run')
                OR (r.process_type = 'file_watcher'
                    AND (r.finished_at IS NOT NULL OR r.started_at < now() - interval '6 hours'))))
   AND d.way_in = 'server' AND d.file_path IS NOT NULL AND d.file_location IS NULL
   AND d.status IN ('loaded', 'loaded_with_rejects', 'duplicate', 'failed', 'undone')
   -- a later attempt of the same file decides where it goes
   AND NOT EXISTS (SELECT 1 FROM dba.tdataloads n
                    WHERE n.file_path = d.file_path AND n.load_id > d.load_id AND n.file_location IS NULL)
 ORDER BY d.load_id, f.path
$function$;

ALTER FUNCTION dba.files_to_move(uuid, boolean) OWNER TO feeds_owner;
REVOKE ALL ON FUNCTION dba.files_to_move(uuid, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dba.files_to_move(uuid, boolean) TO feeds_etl;
COMMENT ON FUNCTION dba.files_to_move(uuid, boolean) IS
'Lists the files of a run (of every run with NULL; with p_include_leftovers also those that earlier runs of feeds run, of dba.run_import or of a watcher that is done left behind) that the runner must move now, with the target name: to archive_dir as one <YYYYMMDD>-<load id>-<name>.zip per load when loaded, duplicate or undone, to failed_dir with a reason when failed, or back to the inbox (back_to) when it was not the registered file (FD016). Target names are shortened to fit NAME_MAX with .reason.txt. Returns the sha256 and size the load read. Raises nothing.';
