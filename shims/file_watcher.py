"""The file watcher: `feeds watch --once | --follow [--settle SECONDS] [--interval SECONDS]`.

For the inbox of every enabled job (dba.timportconfig), it:
  1. lists regular files, ignoring dot-files and partial uploads (*.part, *.tmp, *.filepart,
     *.crdownload, *.partial, ~$*);
  2. waits until each is complete: size and mtime unchanged across two looks --settle seconds
     apart (FEEDS_WATCH_SETTLE, default 2);
  3. asks the database which job the file belongs to (dba.match_config: the rules live there);
     a file with no job (or whose job reads another inbox) stays where it is and is reported once
     (names already reported are kept in var/state/watcher_reported.json);
  4. for xlsx/xls jobs converts it to <name>.csv in the job's processing directory (next to the
     original; see docs/engine-api.md "Excel files"); a file that cannot be converted is recorded
     as failed (dba.reject_file) so the runner quarantines it with its reason (until then it
     stays in the inbox, reported once);
  5. moves it into the processing directory computing its sha256 (rename on one filesystem; copy +
     fsync + rename across filesystems), never overwriting a file already there;
  6. registers it: dba.register_file(job, name, sha256, size, run) -> pending, or duplicate when
     the job already loaded the same content. For an Excel job the sha256 and size are those of
     the converted CSV, the file the engine reads and hashes itself.
An flock on <inbox>/.feeds-watch.lock keeps two watchers off the same inbox. --follow polls every
--interval seconds (inotify is not in Python's standard library, and polling also works on network
filesystems). Files are made 0660 and directories 2770, group etl_group when it exists.

Exit codes: 0 ok (files without a job are not an error), 1 a file could not be converted or
registered, 2 bad usage or configuration.
"""
from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import json
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from shims import db as dbm
from shims import fsutil
from shims.xls_to_csv import ConvertError, convert

PARTIAL_SUFFIXES = (".part", ".tmp", ".filepart", ".crdownload", ".partial", ".download", ".swp")
LOCK_NAME = ".feeds-watch.lock"


@dataclass
class Outcome:
    inbox: str
    name: str
    action: str  # registered, duplicate, no_job, other_inbox, in_processing, convert_failed, error, unstable, locked
    job: str | None = None
    load_id: int | None = None
    detail: str = ""

    @property
    def failed(self) -> bool:
        return self.action in ("convert_failed", "error")


def settle_seconds() -> float:
    return float(os.environ.get("FEEDS_WATCH_SETTLE", 2.0))


def state_dir() -> Path:
    return Path(os.environ.get("FEEDS_STATE_DIR", dbm.ROOT / "var" / "state"))


def is_candidate(name: str) -> bool:
    if name.startswith(".") or name.startswith("~$"):
        return False
    return not name.lower().endswith(PARTIAL_SUFFIXES)


def look(inbox: Path) -> dict[str, tuple[int, int]]:
    """name -> (size, mtime_ns) of the regular files (not symlinks) that are candidates."""
    seen = {}
    with os.scandir(inbox) as it:
        for entry in it:
            if not is_candidate(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            seen[entry.name] = (st.st_size, st.st_mtime_ns)
    return seen


class Reported:
    """Names already reported (no job, cannot convert, …) so each is reported once, until the file
    changes. A small JSON file, written atomically."""

    def __init__(self, path: Path | None = None):
        self.path = path or state_dir() / "watcher_reported.json"
        try:
            self.data = json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            self.data = {}
        self.changed = False

    def first_time(self, inbox: str, name: str, stamp: tuple[int, int], why: str) -> bool:
        key = [stamp[0], stamp[1], why]
        if self.data.get(inbox, {}).get(name) == key:
            return False
        self.data.setdefault(inbox, {})[name] = key
        self.changed = True
        return True

    def forget_missing(self, inbox: str, present: set[str]) -> None:
        names = self.data.get(inbox, {})
        for name in [n for n in names if n not in present]:
            del names[name]
            self.changed = True

    def forget(self, inbox: str, name: str) -> None:
        if self.data.get(inbox, {}).pop(name, None) is not None:
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        fsutil.ensure_dir(self.path.parent)
        with fsutil.atomic_writer(self.path, "w", encoding="utf-8") as f:
            json.dump(self.data, f, indent=1, sort_keys=True)
        self.changed = False


@contextlib.contextmanager
def inbox_lock(inbox: Path):
    """Yield True when this process holds the inbox's lock, False when another watcher does."""
    fd = os.open(inbox / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o660)
    with contextlib.suppress(OSError):
        fsutil.set_perms(inbox / LOCK_NAME)  # 0660 etl_group: another member's watcher may lock it too
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as e:
            if e.errno in (errno.EAGAIN, errno.EACCES):
                yield False
                return
            raise
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        yield True
    finally:
        os.close(fd)


def enabled_inboxes(db: dbm.Db) -> list[str]:
    # Client uploads (issue 15, feeds client add): the jobs' inboxes and the clients' upload directories.
    return [r[0] for r in db.call("SELECT inbox_dir FROM dba.watched_inboxes()")]


def watch_once(db: dbm.Db, log: dbm.RunLog, settle: float | None = None, inboxes: list[str] | None = None,
               reported: Reported | None = None, progress: bool | None = None) -> list[Outcome]:
    """One pass over the inboxes; returns what happened to each file seen."""
    settle = settle_seconds() if settle is None else settle
    reported = reported or Reported()
    conv_log = log.child("xls_to_csv")
    outcomes: list[Outcome] = []
    try:
        for inbox in (inboxes if inboxes is not None else enabled_inboxes(db)):
            try:
                outcomes += _watch_inbox(db, log, conv_log, Path(inbox), settle, reported, progress)
            except OSError as e:  # an inbox we may not read: the others still go
                log.log(f"inbox {inbox}: {e}; skipped", level="error")
                outcomes.append(Outcome(str(inbox), "", "error", detail=str(e)))
    finally:
        reported.save()
        conv_log.close()
    return outcomes


def _watch_inbox(db, log, conv_log, inbox: Path, settle, reported, progress) -> list[Outcome]:
    key = str(inbox)
    if not inbox.is_dir():
        try:
            fsutil.ensure_dir(inbox)
            log.log(f"inbox {inbox} did not exist; created it (2770)")
        except OSError as e:
            log.log(f"inbox {inbox} is missing and cannot be created: {e}", level="error")
            return [Outcome(key, "", "error", detail=str(e))]
    with inbox_lock(inbox) as locked:
        if not locked:
            log.log(f"inbox {inbox}: another watcher holds {LOCK_NAME}; skipped", level="warning")
            return [Outcome(key, "", "locked")]
        first = look(inbox)
        reported.forget_missing(key, set(first))
        if not first:
            return []
        if settle > 0:
            time.sleep(settle)
        second = look(inbox)
        outcomes = []
        names = sorted(first)
        if progress is None:
            progress = sys.stderr.isatty()
        if progress and len(names) > 1:
            from tqdm import tqdm
            names = tqdm(names, desc=f"watch {inbox.name}", unit=" files", leave=False)
        for name in names:
            if second.get(name) != first[name]:
                outcomes.append(Outcome(key, name, "unstable", detail="still being written; next pass"))
                continue
            try:
                outcomes.append(_take(db, log, conv_log, inbox, name, second[name], reported))
            except OSError as e:  # a directory we cannot create or read: this file waits, the others go on
                log.log(f"{inbox / name}: {e}; left where it is", level="error")
                outcomes.append(Outcome(key, name, "error", detail=str(e)))
        return outcomes


def _report_once(log, reported, inbox, name, stamp, why, message, level="warning") -> None:
    if reported.first_time(str(inbox), name, stamp, why):
        log.log(message, level=level)


def _take(db, log, conv_log, inbox: Path, name: str, stamp, reported: Reported) -> Outcome:
    key = str(inbox)
    try:
        rows = db.call("SELECT job_name, inbox_dir, processing_dir, file_type, sheet_name FROM dba.match_config(%s)",
                       (name,))
    except psycopg.Error as e:
        if isinstance(e, psycopg.OperationalError):
            raise
        msg = f"{inbox / name}: cannot tell which job takes it: {dbm.describe(e)}"
        _report_once(log, reported, inbox, name, stamp, "match_error", msg, "error")
        return Outcome(key, name, "error", detail=msg)
    if not rows:
        _report_once(log, reported, inbox, name, stamp, "no_job",
                     f"{inbox / name}: no enabled job matches this name; left in the inbox")
        return Outcome(key, name, "no_job")
    job, job_inbox, processing, file_type, sheet = rows[0]
    # Client uploads (issue 15): a client's upload directory is an inbox for the jobs it may deliver.
    client = None if os.path.realpath(job_inbox) == os.path.realpath(inbox) else \
        db.one("SELECT dba.client_of_inbox(%s, %s)", (key, job))[0]
    if os.path.realpath(job_inbox) != os.path.realpath(inbox) and client is None:
        _report_once(log, reported, inbox, name, stamp, "other_inbox",
                     f"{inbox / name}: matches job {job}, whose inbox is {job_inbox}; left where it is")
        return Outcome(key, name, "other_inbox", job)
    proc = fsutil.ensure_dir(processing)
    dest = proc / name
    csv_dest = proc / (name + ".csv")
    excel = file_type in ("xlsx", "xls", "xlsb", "ods")  # dba._is_workbook_type() lists the same
    if dest.exists() or (excel and csv_dest.exists()):
        _report_once(log, reported, inbox, name, stamp, "in_processing",
                     f"{inbox / name}: a file of that name is still in {proc} (not yet imported or moved); "
                     "left in the inbox until it is gone", "error")
        return Outcome(key, name, "in_processing", job)
    conversion = ""
    if excel:
        try:
            r = convert(inbox / name, csv_dest, sheet=sheet, log=conv_log)
            conversion = f", converted to {csv_dest.name} ({r.rows} rows)"
        except ConvertError as e:
            # Nothing is lost: the database records the file as failed with its reason, and the
            # runner moves it to the job's failed directory with a .reason.txt.
            sha, size = fsutil.sha256_file(inbox / name), (inbox / name).stat().st_size
            try:
                load_id = db.one("SELECT load_id FROM dba.reject_file(p_job => %s, p_file_name => %s, p_sha256 => %s,"
                                 " p_size => %s, p_reason => %s, p_run_uuid => %s)",
                                 (job, name, sha, size, f"cannot convert: {e}", log.run_uuid))[0]
            except psycopg.OperationalError:
                raise
            except psycopg.Error as db_error:
                load_id = None
                log.log(f"job {job}: cannot record the failed conversion of {name}: {dbm.describe(db_error)}",
                        level="error")
            _report_once(log, reported, inbox, name, stamp, "convert_failed",
                         f"job {job}: cannot convert {name}: {e}; recorded as failed load {load_id},"
                         " to be moved to the failed directory", "error")
            return Outcome(key, name, "convert_failed", job, load_id, detail=str(e))
    try:
        sha, size = fsutil.move_hashing(inbox / name, dest)
    except OSError as e:
        if excel:
            with contextlib.suppress(FileNotFoundError):
                csv_dest.unlink()
        log.log(f"job {job}: cannot move {inbox / name} to {proc}: {e}", level="error")
        return Outcome(key, name, "error", job, detail=str(e))
    reported.forget(key, name)
    if excel:
        # The engine reads, hashes and de-duplicates the converted CSV (dba.run_import hashes the
        # file it reads), so that is the content registered for an Excel job.
        sha, size = fsutil.sha256_file(csv_dest), csv_dest.stat().st_size
    try:
        load_id, status, duplicate_of = register(db, job, name, sha, size, log.run_uuid)
    except psycopg.OperationalError:
        log.log(f"job {job}: moved {name} to {proc} but could not register it (database unreachable); "
                "dba.run_import() registers it on its next run", level="error")
        raise
    except psycopg.Error as e:
        log.log(f"job {job}: moved {name} to {proc} but dba.register_file refused it: {dbm.describe(e)}",
                level="error")
        return Outcome(key, name, "error", job, detail=dbm.describe(e))
    if client is not None:  # issue 15: the load records the client that delivered it
        try:
            db.call("SELECT dba.set_load_client(%s, %s)", (load_id, client))
        except psycopg.DatabaseError as e:
            log.log(f"job {job}: load {load_id} from client {client}: {dbm.describe(e)}", level="error")
    if status == "duplicate":
        log.log(f"job {job}: {name} has the same content as load {duplicate_of} (sha256 {sha[:12]}…); "
                f"registered as duplicate load {load_id}, it will be archived, not loaded", load_id=load_id)
        return Outcome(key, name, "duplicate", job, load_id, f"duplicate of {duplicate_of}")
    what = f"{csv_dest.name}: " if excel else ""
    log.log(f"job {job}: moved {name} to {proc}{conversion}; registered ({what}{size} bytes, sha256 {sha[:12]}…) "
            f"as load {load_id}, {status}", load_id=load_id)
    return Outcome(key, name, "registered", job, load_id)


def register(db: dbm.Db, job: str, name: str, sha: str, size: int, run_uuid: str | None):
    """dba.register_file, safe across a lost connection: before a retry, look whether the lost
    attempt registered the file after all (so a retry never registers it as its own duplicate)."""
    check = ("SELECT load_id, status, duplicate_of FROM dba.tdataloads"
             " WHERE job_name = %s AND file_name = %s AND sha256 = %s AND run_uuid IS NOT DISTINCT FROM %s"
             " ORDER BY load_id DESC LIMIT 1", (job, name, sha, run_uuid))
    row = db.one("SELECT load_id, status, duplicate_of FROM dba.register_file(p_job => %s, p_file_name => %s,"
                 " p_sha256 => %s, p_size => %s, p_run_uuid => %s)", (job, name, sha, size, run_uuid),
                 already_done=check)
    return row


def summarize(outcomes: list[Outcome]) -> str:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.action] = counts.get(o.action, 0) + 1
    return ", ".join(f"{n} {a.replace('_', ' ')}" for a, n in sorted(counts.items())) or "no files"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="feeds watch", description="Move complete files from the jobs' inboxes "
                                "into their processing directories and register them.")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")
    mode.add_argument("--follow", action="store_true", help="keep watching (polls every --interval seconds)")
    p.add_argument("--settle", type=float, default=None,
                   help="seconds between the two looks that tell a file is complete (default FEEDS_WATCH_SETTLE or 2)")
    p.add_argument("--interval", type=float, default=float(os.environ.get("FEEDS_WATCH_INTERVAL", 10)),
                   help="seconds between passes with --follow (default 10)")
    args = p.parse_args(argv)
    db = dbm.Db()
    try:
        run = db.one("SELECT dba.start_run('file_watcher')")[0]
    except psycopg.Error as e:
        print(f"feeds watch: cannot reach the database: {dbm.describe(e)}", file=sys.stderr)
        return 1
    log = dbm.RunLog("file_watcher", str(run), echo=sys.stderr)
    failed = False

    # Ctrl-C or SIGTERM (kill, systemd): finish the file and the pass at hand, then stop cleanly;
    # never between moving a file and registering it.
    stopping = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stopping.set())
    try:
        while not stopping.is_set():
            outcomes = watch_once(db, log, settle=args.settle)
            failed = failed or any(o.failed for o in outcomes)
            if args.once:
                log.log(f"watch pass done: {summarize(outcomes)}")
                break
            if any(o.action not in ("no_job", "other_inbox", "in_processing", "unstable") for o in outcomes):
                log.log(f"watch pass done: {summarize(outcomes)}")
            if stopping.wait(args.interval):
                break
        if stopping.is_set():
            log.log("stopped")
    except psycopg.OperationalError as e:
        log.log(f"database unreachable, giving up: {dbm.describe(e)}", level="error")
        return 1
    finally:
        with contextlib.suppress(psycopg.Error):
            db.call("SELECT dba.finish_run(%s)", (run,))
        db.close()
        log.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
