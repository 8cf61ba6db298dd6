"""feeds load: the second way in, for a database server that cannot see the files.

    feeds load --job visitas report_7.txt [report_8.txt …] [--dry-run]

For each file: its sha256, size and chunk digest from one read (fsutil.digests_file, the
watcher's Digests), then dba.begin_load(job, name, sha256, size, run, chunk digest, chunk size) —
the database decides whether the job takes the name and whether the content is a duplicate —
then the file's bytes stream unchanged, one COPY row per fsutil.DIGEST_CHUNK bytes (the chunks of
the chunk digest), through the binary COPY … FROM STDIN statement it hands back (one bytea per
row; never the whole file in memory), then dba.finish_load(load_id) checks the stream against
the registration (a file that changed in between fails, FD016, nothing of it loaded), splits it
into lines in the database, each with its own ending (CR LF inside a quoted field stays CR LF,
endings may mix), and validates and loads exactly as dba.run_import() does. One
result line per file, like run_import's rows. On a terminal, a progress bar shows the COPY of
each file (bytes of the total and the rate; shims/progress.py); elsewhere nothing extra. The
files are not moved: this is for a person at a terminal or a script on another host; the runner
and the watcher use the first way in.

Exit codes (shims/exitcodes.py): 0 every file loaded (or was a duplicate), 1 a file failed or the
database could not be reached, 2 bad usage or configuration.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

import psycopg

from shims import db as dbm
from shims import exitcodes, fsutil, logs, progress

err = logs.cli("feeds load")


def load_file(conn: psycopg.Connection, job: str, path: Path, run_uuid: str, dry_run: bool = False) -> tuple:
    """Returns run_import's row (load_id, file_name, job, status, read, inserted, updated, rejected, message)
    and whether the load failed (dba.tloadstatus.is_failed)."""
    d = fsutil.digests_file(path)  # both digests, one read; the stream is checked against them
    load_id, copy_sql, status, final = conn.execute(
        "SELECT b.load_id, b.copy_sql, b.status, s.is_final FROM dba.begin_load(p_job => %s, p_file_name => %s,"
        " p_sha256 => %s, p_size => %s, p_run_uuid => %s, p_chunk_sha256 => %s, p_chunk_size => %s) b"
        " JOIN dba.tloadstatus s USING (status)",
        (job, path.name, d.sha256, d.size, run_uuid, d.chunk_sha256, d.chunk_size)).fetchone()
    if final:  # decided at once (dba.tloadstatus.is_final): the job has this content
        return (load_id, path.name, job, status, 0, 0, 0, 0, "same content already loaded by this job; nothing loaded",
                False)
    return send(conn, load_id, copy_sql, path, d.size, d.chunk_size, dry_run)


def send(conn: psycopg.Connection, load_id: int, copy_sql: str, path: Path, size: int,
         chunk_size: int = fsutil.DIGEST_CHUNK, dry_run: bool = False) -> tuple:
    """Stream path through copy_sql, one COPY row per chunk_size bytes (the chunks of the chunk
    digest begin_load registered), then dba.finish_load: load_file's row. A file that changed
    since its digests were read fails there (FD016), nothing of it loaded."""
    try:
        with conn.cursor() as cur, progress.copy_progress(conn, label=path.name, total=size, rows=False):
            with cur.copy(copy_sql) as copy, open(path, "rb") as f:
                copy.set_types(["bytea"])
                while chunk := f.read(chunk_size):
                    copy.write_row((chunk,))
    except psycopg.OperationalError:
        raise
    except psycopg.Error as e:  # the server refused the bytes: a failed load with the reason, not a pending one
        line = re.search(r"\bline (\d+)", getattr(e.diag, "context", None) or "")
        reason = f"{path.name}{f' line {line.group(1)}' if line else ''}: the server refused the stream: {e.diag.message_primary}"
        row = conn.execute("SELECT f.load_id, f.file_name, f.job_name, f.status, f.rows_read, f.rows_inserted,"
                           " f.rows_updated, f.rows_rejected, f.error_message, s.is_failed FROM"
                           " dba.fail_client_load(%s, %s, %s) f JOIN dba.tloadstatus s USING (status)",
                           (load_id, reason, e.sqlstate)).fetchone()
        return row
    return conn.execute("SELECT f.load_id, f.file_name, f.job, f.status, f.rows_read, f.rows_inserted, f.rows_updated,"
                        " f.rows_rejected, f.message, s.is_failed IS TRUE FROM dba.finish_load(%s, %s) f"
                        " LEFT JOIN dba.tloadstatus s USING (status)", (load_id, dry_run)).fetchone()


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="feeds load", description=__doc__.split("\n\n")[0])
    ap.add_argument("--job", required=True, help="job name (dba.timportconfig.job_name)")
    ap.add_argument("--dry-run", action="store_true", help="validate and report, load nothing")
    ap.add_argument("files", nargs="+", type=Path)
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    missing = [str(p) for p in args.files if not p.is_file()]
    if missing:
        err.error(f"not a readable file: {', '.join(missing)}")
        return 2
    try:
        conn = dbm.connect()
    except psycopg.Error as e:
        err.error(f"cannot reach the database: {dbm.describe(e)}")
        return exitcodes.DB_UNREACHABLE
    failed = False
    with conn:
        run = conn.execute("SELECT dba.start_run('feeds_load')").fetchone()[0]
        log = dbm.RunLog("feeds_load", str(run), conn=conn)
        for path in args.files:
            try:
                row = load_file(conn, args.job, path, str(run), args.dry_run)
            except psycopg.OperationalError:
                raise
            except psycopg.Error as e:
                # Refused before loading (unknown job, a name the job does not take, …): say why.
                err.error(f"{path.name}: refused: {dbm.describe(e)}")
                log.log(f"feeds load {path}: refused: {dbm.describe(e)}", level="error")
                failed = True
                continue
            load_id, name, job, status, read, inserted, updated, rejected, message, is_failed = row
            print(f"{name}: {status} (load {load_id}, job {job}): {message}")
            failed |= is_failed
        conn.execute("SELECT dba.finish_run(%s)", (run,))
    return 1 if failed else 0
