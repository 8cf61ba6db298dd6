"""`feeds visitas run [--as-of DATE]`: one run of the Visitas job on the generic engine.

  1. dba.start_run('visitas', as_of)                      the run and its reference date
  2. sftp pull into the local download directory           (shims/sftp_pull.py)
  3. each downloaded file the database gives to the job (dba.match_config) is moved into the job's
     processing directory and registered (dba.register_file)
  4. dba.run_import(p_job => 'visitas', p_run_uuid => run) stages, validates, loads, runs the
     visitor hook; visitas.collect_errors(run) fills visitas.errors
  5. the run's loaded and duplicate files (and any left over by an earlier run that stopped
     half-way) go into ONE zip in the job's archive directory, visitas_YYYYMMDD_HHMMSS.zip; the zip
     is verified (CRC of every member, sizes) before dba.mark_moved and before the local copies are
     removed; failed files go to the failed directory with a .reason.txt
  6. --delete-remote: remote files whose content the database shows loaded are deleted
  7. dba.queue_run_report(run, admins) when the report outbox exists; dba.finish_run(run)

Every database call retries a lost or refused connection with backoff (FEEDS_DB_RETRIES,
FEEDS_DB_BACKOFF); when it gives up, nothing has been archived or deleted and the next run
finishes the work (files wait in the processing directory; the engine never loads one twice).

Exit codes: 0 ok, 1 something failed (the pull, a file, the database), 2 bad usage or configuration.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

from shims import db
from shims import sftp_pull

PROCESS = "visitas"


class GiveUp(Exception):
    """The database stayed unreachable through every retry."""


def _connection_lost(e: psycopg.Error, conn: psycopg.Connection | None) -> bool:
    if conn is None or conn.closed or conn.broken:
        return True
    state = getattr(getattr(e, "diag", None), "sqlstate", None) or ""
    return state.startswith("08") or state in ("57P01", "57P02", "57P03")


class Database:
    """Entry-point calls, each one autocommit statement, retried after a lost or refused connection.
    Every call made here is safe to repeat (the engine records each file's fate once)."""

    def __init__(self, log: db.RunLog):
        self.conn: psycopg.Connection | None = None
        self.log = log

    def call(self, sql: str, params=None) -> list[tuple]:
        delays = db.backoff_delays()
        while True:
            try:
                if self.conn is None or self.conn.closed or self.conn.broken:
                    self.conn = db.connect(retries=0)
                    self.log.conn = self.conn
                cur = self.conn.execute(sql, params)
                return cur.fetchall() if cur.description else []
            except psycopg.OperationalError as e:
                if not _connection_lost(e, self.conn):
                    raise  # the statement failed, not the connection
                self.close()
                delay = next(delays, None)
                if delay is None:
                    raise GiveUp(f"database unreachable: {db.describe(e)}") from None
                self.log.log(f"database unreachable ({db.describe(e)}); retrying in {delay:.1f}s", "warning")
                time.sleep(delay)

    def one(self, sql: str, params=None):
        rows = self.call(sql, params)
        return rows[0] if rows else None

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            except Exception:
                pass
        self.conn = None
        self.log.conn = None


@dataclass
class Job:
    name: str
    processing_dir: Path
    archive_dir: Path
    failed_dir: Path


def load_job(dbx: Database, name: str) -> Job:
    row = dbx.one("SELECT processing_dir, archive_dir, failed_dir FROM dba.timportconfig WHERE job_name = %s", (name,))
    if row is None:
        raise sftp_pull.ConfigError(f"job {name!r} is not configured: psql -v base_dir=… -f etc/jobs/visitas.sql")
    return Job(name, Path(row[0]), Path(row[1]), Path(row[2]))


# --- moving files -------------------------------------------------------------------------------

def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def move_file(src: Path, dest: Path) -> None:
    """Rename on one filesystem; copy + fsync + rename + unlink across filesystems. Never overwrites."""
    if dest.exists():
        raise FileExistsError(f"{dest} already exists")
    try:
        os.rename(src, dest)
    except OSError as e:
        if e.errno != 18:  # EXDEV
            raise
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        with open(src, "rb") as fin, open(tmp, "wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
            fout.flush()
            os.fsync(fout.fileno())
        os.replace(tmp, dest)
        os.unlink(src)
    sftp_pull._own(str(dest), 0o660)
    _fsync_dir(dest.parent)


def stage_downloads(dbx: Database, log: db.RunLog, job: Job, local_dir: Path, run: str) -> list[str]:
    """Move the job's files from the download directory into processing and register them."""
    staged = []
    if not local_dir.is_dir():
        return staged
    sftp_pull.ensure_dir(job.processing_dir)
    for path in sorted(local_dir.iterdir()):
        name = path.name
        if name.startswith(".") or not path.is_file():
            continue
        owner = dbx.one("SELECT job_name FROM dba.match_config(%s)", (name,))
        if owner is None or owner[0] != job.name:
            continue
        dest = job.processing_dir / name
        if dest.exists():
            log.log(f"{name}: a file of that name still waits in {job.processing_dir}; kept in {local_dir} "
                    "for the next run", "warning")
            continue
        move_file(path, dest)
        sha, size = _sha256(dest), dest.stat().st_size
        load_id, status, dup = dbx.one(
            "SELECT load_id, status, duplicate_of FROM dba.register_file(p_job => %s, p_file_name => %s,"
            " p_sha256 => %s, p_size => %s, p_run_uuid => %s)", (job.name, name, sha, size, run))
        log.log(f"{name}: moved to {job.processing_dir}, load {load_id} {status}"
                + (f" (same content as load {dup})" if dup else ""), load_id=load_id)
        staged.append(name)
    return staged


# --- archive ------------------------------------------------------------------------------------

def zip_name(archive_dir: Path, now: dt.datetime) -> Path:
    base = f"visitas_{now:%Y%m%d_%H%M%S}"
    path, n = archive_dir / f"{base}.zip", 1
    while path.exists():
        n += 1
        path = archive_dir / f"{base}_{n}.zip"
    return path


def write_verified_zip(dest: Path, members: list[tuple[Path, str]]) -> None:
    """Write the zip under a temporary name, check every member (CRC and size) against its source,
    then rename it into place. Raises (and leaves nothing behind) when anything does not match."""
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as z:
            for src, arcname in members:
                z.write(src, arcname)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        with zipfile.ZipFile(tmp) as z:
            bad = z.testzip()
            if bad is not None:
                raise OSError(f"zip {dest.name}: member {bad} fails its CRC check")
            infos = {i.filename: i for i in z.infolist()}
            for src, arcname in members:
                info = infos.get(arcname)
                if info is None or info.file_size != src.stat().st_size:
                    raise OSError(f"zip {dest.name}: member {arcname} is missing or has the wrong size")
        sftp_pull._own(str(tmp), 0o660)
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def archive(dbx: Database, log: db.RunLog, job: Job, now: dt.datetime) -> tuple[Path | None, int]:
    """Zip every loaded/duplicate file of the job still in processing; quarantine failed ones.
    Returns (zip path or None, files quarantined)."""
    rows = dbx.call("SELECT load_id, status, from_path, to_dir, reason FROM dba.files_to_move(NULL)")
    prefix = str(job.processing_dir).rstrip("/") + "/"
    rows = [r for r in rows if r[2].startswith(prefix)]
    to_zip = [(r[0], Path(r[2])) for r in rows if r[1] != "failed" and Path(r[2]).is_file()]
    failed = [r for r in rows if r[1] == "failed" and Path(r[2]).is_file()]
    zip_path = None
    if to_zip:
        sftp_pull.ensure_dir(job.archive_dir)
        zip_path = zip_name(job.archive_dir, now)
        names: set[str] = set()
        members = []
        for load_id, path in to_zip:
            arc = path.name if path.name not in names else f"{load_id}_{path.name}"
            names.add(arc)
            members.append((path, arc))
        write_verified_zip(zip_path, members)
        log.log(f"archived {len(members)} file(s) into {zip_path} (verified)")
        for load_id, path in to_zip:
            dbx.call("SELECT dba.mark_moved(%s, %s)", (load_id, str(zip_path)))
        for _, path in to_zip:
            path.unlink()
        _fsync_dir(job.processing_dir)
    for load_id, _status, from_path, to_dir, reason in failed:
        src = Path(from_path)
        sftp_pull.ensure_dir(Path(to_dir))
        dest = Path(to_dir) / src.name
        if dest.exists():
            dest = Path(to_dir) / f"{now:%Y%m%d_%H%M%S}_{load_id}_{src.name}"
        reason_file = dest.with_name(dest.name + ".reason.txt")
        reason_file.write_text((reason or "failed") + "\n", encoding="utf-8")
        sftp_pull._own(str(reason_file), 0o660)
        move_file(src, dest)
        dbx.call("SELECT dba.mark_moved(%s, %s)", (load_id, str(dest)))
        log.log(f"{src.name}: failed; moved to {dest} with {reason_file.name}", "warning", load_id)
    return zip_path, len(failed)


# --- the run ------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="feeds visitas run", description=__doc__.split("\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--as-of", type=dt.date.fromisoformat, help="reference date of the run (default today), YYYY-MM-DD")
    p.add_argument("--job", default="visitas", help="job name in dba.timportconfig (default visitas)")
    p.add_argument("--env-file", help="FEEDS_SFTP_* settings file (mode 0600)")
    p.add_argument("--local-dir", help="download directory (default FEEDS_SFTP_LOCAL_DIR or /tmp/visitas)")
    p.add_argument("--no-pull", action="store_true", help="do not connect to SFTP; load what was downloaded before")
    p.add_argument("--accept-new-host-key", action="store_true", help="see feeds sftp pull")
    p.add_argument("--delete-remote", action="store_true",
                   help="delete remote files whose content the database has loaded (after the load committed)")
    p.add_argument("--report-to", default=os.environ.get("FEEDS_REPORT_ADMIN", ""),
                   help="comma-separated addresses that get the whole run report (default FEEDS_REPORT_ADMIN)")
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    sftp_cfg = None
    local_dir = Path(args.local_dir or os.environ.get("FEEDS_SFTP_LOCAL_DIR") or sftp_pull.DEFAULTS["local_dir"])
    if not args.no_pull:
        try:
            sftp_cfg = sftp_pull.load_config(argparse.Namespace(
                env_file=args.env_file, local_dir=args.local_dir, accept_new_host_key=args.accept_new_host_key))
        except sftp_pull.ConfigError as e:
            print(f"visitas: {e} (or run with --no-pull)", file=sys.stderr)
            return 2
        local_dir = sftp_cfg.local_dir

    log = db.RunLog(PROCESS)
    dbx = Database(log)
    failures: list[str] = []
    try:
        run = str(dbx.one("SELECT dba.start_run(p_process_type => %s, p_as_of => %s)", (PROCESS, args.as_of))[0])
        log.run_uuid = run
        job = load_job(dbx, args.job)

        if sftp_cfg is not None:
            try:
                got = sftp_pull.pull(sftp_cfg, log)
                log.log(f"sftp pull: {len(got)} new file(s) from {sftp_cfg.host}:{sftp_cfg.remote_dir}")
            except sftp_pull.PullError as e:
                failures.append(f"sftp pull: {e}")
                log.log(f"sftp pull failed: {e}; loading what was downloaded before", "error")

        stage_downloads(dbx, log, job, local_dir, run)
        results = dbx.call("SELECT load_id, file_name, status, rows_read, rows_inserted, rows_rejected, message"
                           " FROM dba.run_import(p_job => %s, p_run_uuid => %s)", (job.name, run))
        dbx.call("SELECT visitas.collect_errors(%s)", (run,))
        for load_id, name, status, read, inserted, rejected, message in results:
            print(f"{load_id:>6}  {name:<28} {status:<20} read {read:>7}  loaded {inserted:>7}  rejected {rejected:>6}")
            if status == "failed":
                failures.append(f"{name}: {message}")

        zip_path, _ = archive(dbx, log, job, dt.datetime.now())
        if zip_path:
            print(f"archive: {zip_path}")

        if args.delete_remote and sftp_cfg is not None:
            try:
                dbx.call("SELECT 1")  # (re)connect with retries before asking what was loaded
                sftp_pull.delete_remote(sftp_cfg, dbx.conn, job.name, log)
            except sftp_pull.PullError as e:
                failures.append(f"delete remote: {e}")
                log.log(f"deleting remote files failed: {e}", "error")

        if dbx.one("SELECT to_regprocedure('dba.queue_run_report(uuid, text[])') IS NOT NULL")[0]:
            admins = [a.strip() for a in args.report_to.split(",") if a.strip()]
            dbx.call("SELECT count(*) FROM dba.queue_run_report(%s, %s)", (run, admins))
        log.log("run finished" + (f" with {len(failures)} problem(s)" if failures else ""),
                "warning" if failures else "info")
        dbx.call("SELECT dba.finish_run(%s)", (run,))
    except GiveUp as e:
        log.log(f"{e}; nothing was archived or deleted, the next run finishes the work", "error")
        print(f"visitas: {e}; nothing was archived or deleted, the next run finishes the work", file=sys.stderr)
        return 1
    except sftp_pull.ConfigError as e:
        print(f"visitas: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        log.log(f"file error: {e}; the files stay where they are for the next run", "error")
        print(f"visitas: {e}; the files stay where they are for the next run", file=sys.stderr)
        return 1
    except psycopg.Error as e:
        log.log(f"database error: {db.describe(e)}", "error")
        print(f"visitas: database error: {db.describe(e)}", file=sys.stderr)
        return 1
    finally:
        dbx.close()
    for f in failures:
        print(f"visitas: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
