"""One whole run, for cron: `feeds run [--as-of DATE] [--report-dir DIR] [--settle SECONDS]`.

  1. dba.start_run('feeds_run', as_of)
  2. pull: the download shims of other jobs (sftp_pull, meetmax_download) when they are installed
     and configured (see docs/operations.md "Pulls"); skipped otherwise
  3. watch once: move complete files from the inboxes into processing and register them
  4. SELECT * FROM dba.run_import(p_run_uuid => run): the engine loads every waiting file
  5. move what the database says (dba.files_to_move): loaded, duplicate and undone files into the
     job's archive directory as <YYYYMMDD>-<load id>-<name>[.duplicate].zip, failed files into
     its failed directory with <name>.reason.txt beside them; then dba.mark_moved(load, path).
     Nothing is moved before run_import committed the file's fate.
  6. report: dba.queue_run_report(run, admins) and `feeds mail send` (saving the mail under
     --report-dir when no SMTP server is configured), when both are installed; then the fallback
     log lines (written while the database was away) are replayed into dba.tlogentry
  7. dba.finish_run(run)
Every database call retries a lost connection with backoff (shims/db.py); log lines that cannot
reach the database go to logs/feeds_fallback_YYYYMMDD.csv for `feeds logs replay`.

Exit codes: 0 every file loaded (rejected rows included), 1 a file failed (or could not be taken
from an inbox, or the database stayed unreachable), 2 bad usage.
"""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import fcntl
import importlib
import importlib.util
import os
import re
import sys
import zipfile
from itertools import groupby
from pathlib import Path

import psycopg

from shims import db as dbm
from shims import file_watcher, fsutil, progress

# (module, environment variable that says it is configured, how to run it by hand)
PULLS = [
    ("shims.sftp_pull", "FEEDS_SFTP_HOST", "feeds sftp pull"),
    ("shims.meetmax_download", "FEEDS_MEETMAX_BASE_URL", "feeds meetmax download"),
]


def report_dir_default() -> Path:
    return Path(os.environ.get("FEEDS_REPORT_DIR", dbm.ROOT / "var" / "reports"))


# --- 2. pulls ------------------------------------------------------------------------------------

def pull(log: dbm.RunLog) -> list[str]:
    """Run the installed, configured download shims; return what failed (empty: nothing). A hook
    returns None or an exit code, or a sentence saying what failed."""
    problems: list[str] = []
    for module_name, env, by_hand in PULLS:
        short = module_name.rsplit(".", 1)[1]
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        hook = getattr(module, "pull_for_run", None)
        child = log.child(short)
        try:
            if hook is not None:
                rc = hook(run_uuid=log.run_uuid, log=child)  # None or an exit code
            elif not os.environ.get(env):
                log.log(f"pull {short}: not configured ({env} is not set); skipped")
                continue
            else:
                rc = module.main([])
        except Exception as e:  # a pull must not take the import of what is already here down
            log.log(f"pull {short} failed: {type(e).__name__}: {e}", level="error")
            problems.append(f"the pull ({short}): {type(e).__name__}: {e}")
            continue
        finally:
            child.close()
        if isinstance(rc, str):
            log.log(f"pull {short}: {rc}", level="error")
            problems.append(f"the pull ({short}): {rc}")
        elif rc:
            log.log(f"pull {short} exited with {rc} (run `{by_hand}` to see why)", level="error")
            problems.append(f"the pull ({short}) exited with {rc}")
    return problems


# --- 4. import -----------------------------------------------------------------------------------

def run_import(db: dbm.Db, log: dbm.RunLog, run: str) -> list[tuple]:
    with progress.copy_progress(db):  # COPY progress on a TTY (shims/progress.py; the one line the shims engineer added)
        rows = db.call("SELECT load_id, file_name, job, status, rows_read, rows_inserted, rows_updated, rows_rejected,"
                       " message FROM dba.run_import(p_run_uuid => %s)", (run,))
    for load_id, name, job, status, *_counts, message in rows:
        log.log(f"import {name} (job {job}, load {load_id}): {status}: {message}", load_id=load_id,
                level="error" if status == "failed" else "info")
    if not rows:
        log.log("import: no files waiting")
    return rows


# --- 5. archive and quarantine -----------------------------------------------------------------

# Files an earlier run left in processing (a `feeds run` that died before moving them — only one
# runs at a time, see runner.lock — or a DBA's `SELECT * FROM dba.run_import()` in psql) are
# moved by the next `feeds run` too; those of runs of other programs (e.g. `feeds visitas run`,
# which zips its own) are theirs, and those of a watcher that may still be working (unfinished,
# started less than 6 hours ago) are left.
LEFTOVERS = """
SELECT f.load_id, f.status, f.from_path, f.to_dir, f.reason
  FROM dba.files_to_move(NULL) f
  JOIN dba.tdataloads d ON d.load_id = f.load_id
  LEFT JOIN dba.trun r ON r.run_uuid = d.run_uuid
 WHERE d.run_uuid IS DISTINCT FROM %s
   AND (d.run_uuid IS NULL OR r.process_type IN ('run_import', 'feeds_run')
        OR (r.process_type = 'file_watcher'
            AND (r.finished_at IS NOT NULL OR r.started_at < now() - interval '6 hours')))
 ORDER BY f.load_id, f.from_path"""


def move_files(db: dbm.Db, log: dbm.RunLog, run: str | None, today: dt.date | None = None,
               leftovers: bool = False) -> list[tuple[int, str, str]]:
    """Move every file dba.files_to_move lists for the run (and with leftovers=True, those earlier
    runs left behind); return (load_id, status, new path)."""
    today = today or dt.date.today()
    rows = db.call("SELECT load_id, status, from_path, to_dir, reason FROM dba.files_to_move(%s)", (run,))
    if leftovers:
        old = db.call(LEFTOVERS, (run,))
        if old:
            log.log(f"{len({r[0] for r in old})} load(s) of earlier runs still wait in processing; moving them too")
        rows += old
    moved = []
    for load_id, items in groupby(rows, key=lambda r: r[0]):
        items = list(items)
        status, to_dir = items[0][1], Path(items[0][3])
        paths = [Path(r[2]) for r in items]
        reason = next((r[4] for r in items if r[4]), None)
        original = min(paths, key=lambda p: len(p.name))  # list.xls before list.xls.csv
        try:
            fsutil.ensure_dir(to_dir)
            if status == "failed":
                where = _quarantine(load_id, paths, original, to_dir, reason)
            else:
                where = _archive(load_id, status, paths, original, to_dir, today)
        except OSError as e:
            log.log(f"load {load_id}: cannot move {original} to {to_dir}: {e}; it stays where it is",
                    level="error", load_id=load_id)
            continue
        db.call("SELECT dba.mark_moved(%s, %s)", (load_id, str(where)))
        log.log(f"load {load_id} ({status}): {original.name} -> {where}", load_id=load_id)
        moved.append((load_id, status, str(where)))
    return moved


def _archive(load_id, status, paths, original, to_dir: Path, today: dt.date) -> Path:
    """Zip the load's files into one date-named archive (written whole, then the sources go).
    Safe to repeat after a crash: an existing archive of the load is reused."""
    existing = [p for p in to_dir.glob(f"[0-9]*-{load_id}-*.zip") if re.match(rf"^\d{{8}}-{load_id}-", p.name)]
    if existing:
        dest = existing[0]
    else:
        suffix = ".duplicate" if status == "duplicate" else ".undone" if status == "undone" else ""
        dest = to_dir / f"{today:%Y%m%d}-{load_id}-{original.name}{suffix}.zip"
        present = [p for p in paths if p.exists()]
        if not present:
            raise FileNotFoundError(f"none of {', '.join(map(str, paths))} exists")
        with fsutil.atomic_writer(dest, "wb") as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
            for p in present:
                z.write(p, arcname=p.name)
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    fsutil.fsync_dir(original.parent)
    return dest


def _quarantine(load_id, paths, original, to_dir: Path, reason) -> Path:
    """Move the load's files into the failed directory (a taken name gets the load id in front)
    and write <name>.reason.txt beside the original. Safe to repeat after a crash."""
    marker = f"load {load_id}"
    dest_of = {}
    for p in paths:
        plain, tagged = to_dir / p.name, to_dir / f"{load_id}-{p.name}"
        if p.exists():
            dest = plain if not plain.exists() and not Path(str(plain) + ".reason.txt").exists() else tagged
            fsutil.move(p, dest)
        elif tagged.exists():
            dest = tagged
        elif plain.exists():
            dest = plain
        else:
            raise FileNotFoundError(f"{p} is gone and is not in {to_dir}")
        dest_of[p] = dest
    dest = dest_of[original]
    text = f"{original.name}: {marker} failed\n\n{reason or 'no reason recorded'}\n"
    with fsutil.atomic_writer(Path(str(dest) + ".reason.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    return dest


# --- 6. report -----------------------------------------------------------------------------------

def send_report(db: dbm.Db, log: dbm.RunLog, run: str, report_dir: Path | None) -> bool | None:
    """Queue the run's report and send it; None when reports are not installed, else success."""
    have_fn = db.one("SELECT to_regprocedure('dba.queue_run_report(uuid, text[])') IS NOT NULL")[0]
    if not have_fn or importlib.util.find_spec("shims.send_mail") is None:
        log.log("report: not available in this version (dba.queue_run_report or shims/send_mail.py missing); skipped")
        return None
    admins = [a.strip() for a in os.environ.get("FEEDS_REPORT_TO", "").split(",") if a.strip()]
    mails = db.call("SELECT mail_id FROM dba.queue_run_report(%s, %s)", (run, admins))
    log.log(f"report: {len(mails)} mail(s) queued" + ("" if admins else " (FEEDS_REPORT_TO is empty: job recipients only)"))
    send_mail = importlib.import_module("shims.send_mail")
    argv = []
    if report_dir is not None:
        fsutil.ensure_dir(report_dir)
        argv = ["--save-dir", str(report_dir)]
    rc = send_mail.main(argv)
    if rc:
        log.log(f"report: feeds mail send exited with {rc}; pending mail goes out on the next run", level="warning")
    return rc == 0


# --- 6b. fallback log lines ---------------------------------------------------------------------

def replay_fallback(db: dbm.Db, log: dbm.RunLog) -> None:
    """Lines that went to the fallback file while the database was away (in this run or an earlier
    one) go into dba.tlogentry now; `feeds logs replay` does the same from cron."""
    from shims import log_replay
    bad: list[str] = []
    seen, new = log_replay.replay(db, None, bad)
    if new or bad:
        log.log(f"fallback log: {new} line(s) replayed into dba.tlogentry"
                + (f"; {len(bad)} malformed line(s) skipped (feeds logs replay shows them)" if bad else ""),
                level="warning" if bad else "info")


# --- the run -------------------------------------------------------------------------------------

last_problems: list[str] = []  # what failed in the latest run of this process, for main's last line


def run(as_of: dt.date | None = None, report_dir: Path | None = None, settle: float | None = None,
        echo=sys.stderr) -> tuple[str | None, int]:
    """One run; returns (run uuid, exit code)."""
    fsutil.ensure_dir(file_watcher.state_dir())
    lock = open(file_watcher.state_dir() / "runner.lock", "a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        lock.close()
        print(f"feeds run: another feeds run holds {lock.name}; nothing done", file=sys.stderr)
        return None, 1
    try:
        return _run(as_of, report_dir, settle, echo)
    finally:
        lock.close()


def _run(as_of, report_dir, settle, echo) -> tuple[str | None, int]:
    db = dbm.Db()
    try:
        run_uuid = str(db.one("SELECT dba.start_run(p_process_type => 'feeds_run', p_as_of => %s)", (as_of,))[0])
    except psycopg.Error as e:
        print(f"feeds run: cannot start a run: {dbm.describe(e)}", file=sys.stderr)
        return None, 1
    log = dbm.RunLog("runner", run_uuid, echo=echo)
    db.on_retry = lambda e, d: log.log(f"database connection lost ({str(e).strip().splitlines()[0][:120]}); "
                                       f"retrying in {d:.1f} s", level="warning")
    wlog = log.child("file_watcher")
    failed = False
    try:
        log.log(f"run {run_uuid} started" + (f" as of {as_of}" if as_of else ""))
        pulled = pull(log)
        failed |= bool(pulled)
        last_problems[:] = pulled
        outcomes = file_watcher.watch_once(db, wlog, settle=settle)
        failed |= any(o.failed for o in outcomes)
        wlog.log(f"watch: {file_watcher.summarize(outcomes)}")
        run_import(db, log, run_uuid)
        move_files(db, log, run_uuid, leftovers=True)
        counts = dict(db.call("SELECT status, count(*) FROM dba.tdataloads WHERE run_uuid = %s GROUP BY status",
                              (run_uuid,)))
        failed |= counts.get("failed", 0) > 0
        if counts.get("failed", 0) or any(o.failed for o in outcomes):
            last_problems.append("some files FAILED")
        log.log("run summary: " + (", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no files"),
                level="error" if failed else "info")
        send_report(db, log, run_uuid, report_dir)
        replay_fallback(db, log)
    except psycopg.OperationalError as e:
        log.log(f"database unreachable, run stopped: {dbm.describe(e)} (files not yet imported wait for the next run)",
                level="error")
        failed = True
    except psycopg.Error as e:
        log.log(f"run stopped: {dbm.describe(e)}", level="error")
        failed = True
    except Exception as e:  # recorded in the run's log rather than lost in a traceback
        log.log(f"run stopped by an unexpected error: {type(e).__name__}: {e}", level="error")
        failed = True
        raise
    finally:
        with contextlib.suppress(psycopg.Error):
            db.call("SELECT dba.finish_run(%s)", (run_uuid,))
        db.close()
        wlog.close()
        log.close()
    return run_uuid, 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="feeds run", description="One whole run: pull, watch, import, archive, report.")
    p.add_argument("--as-of", type=dt.date.fromisoformat, help="reference date of the run (YYYY-MM-DD; default today)")
    p.add_argument("--report-dir", type=Path, default=None,
                   help="where the report is saved when no SMTP server is configured (default var/reports)")
    p.add_argument("--settle", type=float, default=None, help="seconds a file must stay unchanged (default 2)")
    try:
        args = p.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    run_uuid, rc = run(args.as_of, args.report_dir or report_dir_default(), args.settle)
    if run_uuid:
        print(f"run {run_uuid}: {('; '.join(last_problems) or 'FAILED') if rc else 'ok'} (details: feeds status)")
    return rc


if __name__ == "__main__":
    sys.exit(main())
