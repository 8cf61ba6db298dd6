"""`feeds visitas run [--as-of DATE]`: one run of the Visitas job on the generic engine.

  1. dba.start_run('visitas', as_of)                      the run and its reference date
  2. sftp pull into the local download directory           (shims/sftp_pull.py)
  3. each downloaded file the database gives to the job (dba.match_config) is moved into the job's
     inbox, and the file watcher takes the inbox as it does for every job (processing directory,
     sha256, dba.register_file)
  4. dba.run_import(p_job => 'visitas', p_run_uuid => run) stages, validates, loads, runs the
     visitor hook; visitas.collect_errors(run) fills visitas.errors
  5. the run's loaded and duplicate files (and any left over by an earlier run that stopped
     half-way; visitas.files_to_archive(job) says which) go into ONE zip in the job's archive directory, visitas_YYYYMMDD_HHMMSS.zip; the zip
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
import os
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import psycopg

from shims import db as dbm
from shims import file_watcher, fsutil, runner, sftp_pull

PROCESS = "visitas"


@dataclass
class Job:
    name: str
    inbox_dir: Path
    processing_dir: Path
    archive_dir: Path


def load_job(db: dbm.Db, name: str) -> Job:
    row = db.one("SELECT inbox_dir, processing_dir, archive_dir FROM dba.timportconfig WHERE job_name = %s", (name,))
    if row is None:
        raise sftp_pull.ConfigError(f"job {name!r} is not configured: psql -v base_dir=… -f etc/jobs/visitas.sql")
    return Job(name, Path(row[0]), Path(row[1]), Path(row[2]))


# --- staging: download dir -> inbox -> (the file watcher) -> processing ---------------------------

def stage_downloads(db: dbm.Db, log: dbm.RunLog, job: Job, local_dir: Path) -> list[file_watcher.Outcome]:
    """Hand the downloaded files of this job to its inbox, then let the file watcher take the inbox
    (move into processing computing sha256, dba.register_file) as it does for every job."""
    sftp_pull.hand_to_inboxes(db, log, local_dir, job.name)
    fsutil.ensure_dir(job.inbox_dir)
    return file_watcher.watch_once(db, log.child("file_watcher"), inboxes=[str(job.inbox_dir)])


# --- archive ------------------------------------------------------------------------------------

def zip_name(archive_dir: Path, now: dt.datetime) -> Path:
    base = f"visitas_{now:%Y%m%d_%H%M%S}"
    path, n = archive_dir / f"{base}.zip", 1
    while path.exists():
        n += 1
        path = archive_dir / f"{base}_{n}.zip"
    return path


def write_verified_zip(dest: Path, members: list[tuple[Path, str]]) -> None:
    """Write the zip under a temporary name, read it back and check every member (CRC, size)
    against its source, then rename it into place. Raises, leaving nothing behind, on a mismatch."""
    with fsutil.atomic_writer(dest, "w+b") as f:
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_DEFLATED) as z:
            for src, arcname in members:
                z.write(src, arcname)
        f.flush()
        f.seek(0)
        with zipfile.ZipFile(f) as z:
            bad = z.testzip()
            if bad is not None:
                raise OSError(f"zip {dest.name}: member {bad} fails its CRC check")
            sizes = {i.filename: i.file_size for i in z.infolist()}
            for src, arcname in members:
                if sizes.get(arcname) != src.stat().st_size:
                    raise OSError(f"zip {dest.name}: member {arcname} is missing or has the wrong size")


def archive(db: dbm.Db, log: dbm.RunLog, job: Job, now: dt.datetime) -> Path | None:
    """Zip every loaded or duplicate file of the job still in processing (this run's and any an
    earlier run left) into one archive; quarantine failed ones as the runner does. Returns the zip."""
    rows = [r for r in db.call("SELECT a.load_id, s.is_failed, a.from_path, a.to_dir, a.reason"
                               " FROM visitas.files_to_archive(%s) WITH ORDINALITY a"
                               " JOIN dba.tloadstatus s USING (status) ORDER BY a.ordinality", (job.name,))
            if Path(r[2]).is_file()]
    to_zip = [(r[0], Path(r[2])) for r in rows if not r[1]]  # dba.tloadstatus.is_failed: quarantined
    zip_path = None
    if to_zip:
        fsutil.ensure_dir(job.archive_dir)
        zip_path = zip_name(job.archive_dir, now)
        taken: set[str] = set()
        members = []
        for load_id, path in to_zip:
            arcname = path.name if path.name not in taken else f"{load_id}_{path.name}"
            taken.add(arcname)
            members.append((path, arcname))
        write_verified_zip(zip_path, members)
        log.log(f"archived {len(members)} file(s) into {zip_path} (verified)")
        for load_id, _ in to_zip:
            db.call("SELECT dba.mark_moved(%s, %s)", (load_id, str(zip_path)))
        for _, path in to_zip:
            path.unlink()
        fsutil.fsync_dir(job.processing_dir)
    for load_id, _failed, from_path, to_dir, reason in (r for r in rows if r[1]):
        fsutil.ensure_dir(to_dir)
        src = Path(from_path)
        dest = runner._quarantine(load_id, [src], src, Path(to_dir), reason)
        db.call("SELECT dba.mark_moved(%s, %s)", (load_id, str(dest)))
        log.log(f"{src.name}: failed; moved to {dest} with its .reason.txt", "warning", load_id)
    return zip_path


# --- the run ------------------------------------------------------------------------------------

def console_line(load_id, name, outcome, read, inserted, rejected) -> str:
    """One line per file on the console (outcome: dba.load_outcome); a refused file read no row."""
    if outcome.startswith("file refused"):
        return f"{load_id:>6}  {name:<28} {outcome} (no row read; see feeds errors {load_id})"
    return f"{load_id:>6}  {name:<28} {outcome:<20} read {read:>7}  loaded {inserted:>7}  rejected {rejected:>6}"


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
    p.add_argument("--report-to", default=os.environ.get("FEEDS_REPORT_TO", ""),
                   help="comma-separated addresses that get the whole run report (default FEEDS_REPORT_TO)")
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
            print(f"visitas: {e}", file=sys.stderr)
            return 2
        local_dir = sftp_cfg.local_dir

    db = dbm.Db()
    try:
        run = str(db.one("SELECT dba.start_run(p_process_type => %s, p_as_of => %s)", (PROCESS, args.as_of))[0])
    except psycopg.Error as e:
        print(f"visitas: cannot start a run: {dbm.describe(e)}", file=sys.stderr)
        return 1
    log = dbm.RunLog(PROCESS, run)
    db.on_retry = lambda e, d: log.log(f"database connection lost ({str(e).strip().splitlines()[0][:120]}); "
                                       f"retrying in {d:.1f} s", "warning")
    failures: list[str] = []
    try:
        job = load_job(db, args.job)
        if sftp_cfg is not None:
            try:
                got = sftp_pull.pull(sftp_cfg, log.child("sftp_pull"))
                log.log(f"sftp pull: {len(got)} new file(s) from {sftp_cfg.host}:{sftp_cfg.remote_dir}")
            except sftp_pull.PullError as e:
                failures.append(f"sftp pull: {e}")
                log.log(f"sftp pull failed: {e}; loading what was downloaded before", "error")

        outcomes = stage_downloads(db, log, job, local_dir)
        failures += [f"{o.name}: {o.action} {o.detail}".strip() for o in outcomes if o.failed]
        results = db.call("SELECT i.load_id, i.file_name, i.status, i.rows_read, i.rows_inserted, i.rows_rejected,"
                          " i.message, s.is_failed IS TRUE FROM dba.run_import(p_job => %s, p_run_uuid => %s)"
                          " WITH ORDINALITY i LEFT JOIN dba.tloadstatus s USING (status) ORDER BY i.ordinality",
                          (job.name, run))
        db.call("SELECT visitas.collect_errors(%s)", (run,))
        # (asked after the import: within its statement the loads are not yet finished)
        outcomes_of = dict(db.call("SELECT load_id, dba.load_outcome(d) FROM dba.tdataloads d WHERE load_id = ANY (%s)",
                                   ([r[0] for r in results],)))
        for o in outcomes:
            if o.settled:  # registered with a final status (a duplicate): nothing to load
                print(f"{o.load_id or '':>6}  {o.name:<28} {o.action:<20} ({o.detail}: the same content, not loaded again)")
        for load_id, name, status, read, inserted, rejected, message, is_failed in results:
            print(console_line(load_id, name, outcomes_of.get(load_id, status), read, inserted, rejected))
            if is_failed:
                failures.append(f"{name}: {message}")
        if not results and not [o for o in outcomes if o.settled]:
            print(f"visitas: nothing new in {local_dir} or {job.inbox_dir}")
        zip_path = archive(db, log, job, dt.datetime.now())
        if zip_path:
            print(f"archive: {zip_path}")

        if args.delete_remote and sftp_cfg is not None:
            db.call("SELECT 1")  # (re)connect, with retries, before asking what was loaded
            try:
                sftp_pull.delete_remote(sftp_cfg, db.conn, job.name, log.child("sftp_pull"))
            except sftp_pull.PullError as e:
                failures.append(f"delete remote: {e}")
                log.log(f"deleting remote files failed: {e}", "error")

        if db.one("SELECT to_regprocedure('dba.queue_run_report(uuid, text[])') IS NOT NULL")[0]:
            admins = [a.strip() for a in args.report_to.split(",") if a.strip()]
            mails = db.call("SELECT mail_id FROM dba.queue_run_report(%s, %s)", (run, admins))
            log.log(f"report: {len(mails)} mail(s) queued (sent by feeds mail send)")
        if failures:  # dba.finish_run logs "run finished"; this says what went wrong before it
            log.log(f"{len(failures)} problem(s): " + "; ".join(failures), "warning")
    except psycopg.OperationalError as e:
        msg = f"database unreachable: {dbm.describe(e)}; nothing was archived or deleted, the next run finishes the work"
        log.log(msg, "error")
        print(f"visitas: {msg}", file=sys.stderr)
        return 1
    except sftp_pull.ConfigError as e:
        print(f"visitas: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        log.log(f"file error: {e}; the files stay where they are for the next run", "error")
        print(f"visitas: {e}; the files stay where they are for the next run", file=sys.stderr)
        return 1
    except psycopg.Error as e:
        log.log(f"database error: {dbm.describe(e)}", "error")
        print(f"visitas: database error: {dbm.describe(e)}", file=sys.stderr)
        return 1
    finally:
        try:
            db.call("SELECT dba.finish_run(%s)", (run,))
        except psycopg.Error:
            pass
        db.close()
        log.close()
    for f in failures:
        print(f"visitas: {f}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
