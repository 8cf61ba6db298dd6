"""The file watcher: `feeds watch --once | --follow [--settle SECONDS] [--interval SECONDS]`.

For the inbox of every enabled job (dba.timportconfig), it:
  1. lists regular files and symlinks, ignoring the names dba.is_candidate_name() refuses
     (dot-files, partial uploads *.part, *.tmp, *.filepart, *.crdownload, *.partial, ~$*);
  2. waits until each is complete: size and mtime unchanged across two looks --settle seconds
     apart (FEEDS_WATCH_SETTLE, default 2), and no process has it open for writing (/proc);
  3. asks the database which job the file belongs to (dba.match_config: the rules live there);
     a file with no job (or whose job reads another inbox: dba.inbox_takes, asked with the inbox's
     real path) stays where it is and is reported once until it changes (database state:
     dba.report_once, table dba.twatcher_report);
  4. refuses, unread, a symlink or a file with more than one hard link, and renames a file whose
     name is not UTF-8 or holds control characters to its escaped form (byte 0xf1 or a newline
     becomes the four characters \\xf1 or \\x0a): both are recorded as failed loads of their
     job (dba.reject_file, FD013, with the reason) and the runner quarantines them;
  5. for xlsx/xls jobs converts it to <name>.csv in the job's processing directory (next to the
     original; see docs/engine-api.md "Excel files") in a child process limited to
     FEEDS_CONVERT_MEMORY_MB (default 250) more memory and FEEDS_CONVERT_MAX_SECONDS (default 300);
     a file that cannot be converted, or whose conversion passes a limit or crashes, is recorded
     as failed (dba.reject_file) with a reason naming the limit or the error, so the runner
     quarantines it (until then it stays in the inbox, reported once);
  6. moves it into the processing directory computing its sha256 and chunk digest in one read
     (fsutil.Digests; rename on one filesystem; copy + fsync + rename across filesystems), never
     overwriting a file already there;
  7. registers it: dba.register_file(job, name, sha256, size, run, chunk digest, chunk size) ->
     pending, or duplicate when the job already loaded the same content. For an Excel job these
     are the converted CSV's, the file the engine reads and checks chunk by chunk itself.
Whatever goes wrong with one file is logged against it (and recorded as a failed load when its job
is known); the pass goes on with the others.
An flock on <inbox>/.feeds-watch.lock keeps two watchers off the same inbox. --follow makes a pass
whenever an inbox changes (watchdog: inotify; --polling or FEEDS_WATCH_POLLING=1 for its polling
observer, for network filesystems) and at least every --interval seconds; the settle check stays.
Files are made 0660 and directories 2770, group etl_group when it exists.

Exit codes: 0 ok (files without a job are not an error), 1 a file could not be converted or
registered, 2 bad usage or configuration.
"""
from __future__ import annotations

import argparse
import contextlib
import errno
import fcntl
import multiprocessing
import os
import re
import resource
import signal
import stat
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from shims import db as dbm
from shims import fsutil
from shims.excel.common import Limits
from shims.xls_to_csv import ConvertError, convert

LOCK_NAME = ".feeds-watch.lock"


@dataclass
class Outcome:
    inbox: str
    name: str
    action: str  # registered, a final status dba.register_file gave (duplicate), no_job, other_inbox,
    #              in_processing, convert_failed, refused, error, unstable, locked
    job: str | None = None
    load_id: int | None = None
    detail: str = ""
    settled: bool = False  # registered with a final status (dba.tloadstatus.is_final): nothing to load

    @property
    def failed(self) -> bool:
        return self.action in ("convert_failed", "refused", "error")


def convert_limits() -> tuple[int, float]:
    """(bytes, seconds) one conversion may use, from the converter's own limits (one setting
    each, shims/excel/common.py Limits): FEEDS_CONVERT_MEMORY_MB (default 250) more address space
    than the watcher had when it started the conversion, and FEEDS_CONVERT_MAX_SECONDS (default
    300) plus a grace of CONVERT_GRACE_SECONDS, so that the converter's own refusal, which names
    the file and the limit, comes first; these are the backstop whatever the reader does. With the
    defaults a whole `feeds run` stays under about 300 MB."""
    limits = Limits.from_env()
    return limits.memory_mb << 20, limits.max_seconds + CONVERT_GRACE_SECONDS


CONVERT_GRACE_SECONDS = 10


def _vm_size() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _convert_child(conn, path, out, sheet, budget, run_uuid) -> None:
    """In the child: cap the address space, convert, send back ('ok', Result) or (kind, message)."""
    try:
        limit = _vm_size() + budget
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        log = dbm.RunLog("xls_to_csv", run_uuid) if run_uuid else None
        try:
            conn.send(("ok", convert(path, out, sheet=sheet, log=log)))
        finally:
            if log is not None:
                log.close()
    except ConvertError as e:
        conn.send(("error", str(e)))
    except MemoryError:
        conn.send(("memory", ""))
    except BaseException as e:  # whatever the reader raises is the file's failure, never the run's
        conn.send(("crash", f"{type(e).__name__}: {e}"))


def convert_limited(path: Path, out: Path, sheet=None, log: dbm.RunLog | None = None):
    """xls_to_csv.convert in a child process under convert_limits(): a reader that runs out of
    memory or time, crashes or raises anything is a ConvertError whose message names the limit or
    the error; the watcher goes on with the next file. The output is complete or absent."""
    budget, seconds = convert_limits()
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    before = set(out.parent.glob(".feeds-*.tmp"))
    child = ctx.Process(target=_convert_child, args=(send, path, out, sheet, budget, log.run_uuid if log else None),
                        daemon=True)
    child.start()
    send.close()
    try:
        if not recv.poll(seconds):
            child.kill()
            raise ConvertError(f"conversion stopped after {seconds:g} s (limit FEEDS_CONVERT_MAX_SECONDS)")
        try:
            kind, payload = recv.recv()
        except EOFError:
            child.join()
            raise ConvertError(f"the converter died (exit {child.exitcode}"
                               + (f", signal {-child.exitcode}" if child.exitcode and child.exitcode < 0 else "")
                               + f"; memory limit FEEDS_CONVERT_MEMORY_MB={budget // 2**20})") from None
    finally:
        recv.close()
        child.join(5)
        if child.is_alive():
            child.kill()
            child.join()
        if child.exitcode != 0:  # killed: its temporary output is an orphan
            for tmp in set(out.parent.glob(".feeds-*.tmp")) - before:
                with contextlib.suppress(FileNotFoundError):
                    tmp.unlink()
    if kind == "ok":
        return payload
    with contextlib.suppress(FileNotFoundError):
        out.unlink()
    if kind == "memory":
        raise ConvertError(f"conversion needs more than {budget // 2**20} MB of memory (limit FEEDS_CONVERT_MEMORY_MB)")
    if kind == "crash":
        raise ConvertError(f"the converter failed: {payload}")
    raise ConvertError(payload)


def settle_seconds() -> float:
    return float(os.environ.get("FEEDS_WATCH_SETTLE", 2.0))


def state_dir() -> Path:
    return Path(os.environ.get("FEEDS_STATE_DIR", dbm.ROOT / "var" / "state"))


def candidates(db: dbm.Db, names) -> set[str]:
    """The names (as listed, surrogate escapes and all) that dba.is_candidate_name() lets the
    watcher look at: not dot-files, Office lock files or partial uploads (the rule is the
    database's)."""
    names = list(names)
    shown = {safe_name(n): n for n in names}
    rows = db.call("SELECT n FROM unnest(%s::text[]) n WHERE dba.is_candidate_name(n)", (list(shown),)) if names else []
    return {shown[r[0]] for r in rows}


def is_candidate(name: str, db: dbm.Db | None = None) -> bool:
    own = db is None
    db = db or dbm.Db()
    try:
        return name in candidates(db, [name])
    finally:
        if own:
            db.close()


def look(inbox: Path) -> dict[str, tuple[int, int, int]]:
    """name -> (size, mtime_ns, st_nlink) of the regular files and symlinks (the latter are refused
    with a reason, never read; st_nlink 0 marks a link), dot-files left out. Names may hold
    surrogate escapes (not UTF-8), see safe_name()."""
    seen = {}
    with os.scandir(inbox) as it:
        for entry in it:
            if entry.name.startswith("."):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue
            if stat.S_ISLNK(st.st_mode):
                seen[entry.name] = (st.st_size, st.st_mtime_ns, 0)
            elif stat.S_ISREG(st.st_mode):
                seen[entry.name] = (st.st_size, st.st_mtime_ns, st.st_nlink)
    return seen


def safe_name(name: str) -> str:
    """The name as text the database, a log and a person can hold: bytes that are not UTF-8 and
    control characters shown escaped (b'caf\\xf1.csv' -> 'caf\\xf1.csv', a newline -> '\\x0a')."""
    text = os.fsencode(name).decode("utf-8", "backslashreplace")
    return re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\x{ord(m.group()):02x}", text)


class Reported:
    """Which files left in an inbox were reported already, so each is reported once until it
    changes: database state (dba.report_once, dba.forget_reported, table dba.twatcher_report)."""

    def __init__(self, db: dbm.Db):
        self.db = db

    def first_time(self, inbox: str, name: str, stamp: tuple[int, int], why: str) -> bool:
        return self.db.one("SELECT dba.report_once(%s, %s, %s, %s, %s)", (inbox, name, stamp[0], stamp[1], why))[0]

    def forget_missing(self, inbox: str, present: set[str]) -> None:
        self.db.call("SELECT dba.forget_reported(%s, %s)", (inbox, sorted(present)))


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
    reported = reported or Reported(db)
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
        keep = candidates(db, first)
        first = {n: v for n, v in first.items() if n in keep}
        reported.forget_missing(key, {safe_name(n) for n in first})
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
        writing = None
        for name in names:
            shown = safe_name(name)
            if second.get(name) != first[name]:
                outcomes.append(Outcome(key, shown, "unstable", detail="still being written; next pass"))
                continue
            if writing is None:
                writing = fsutil.open_for_writing()  # one look at /proc for the whole inbox
            busy = fsutil.writers(inbox / name, writing) if second[name][2] == 1 else []
            if busy:
                outcomes.append(Outcome(key, shown, "unstable",
                                        detail=f"open for writing by process {', '.join(map(str, busy))}; next pass"))
                continue
            try:
                outcomes.append(_take(db, log, conv_log, inbox, name, second[name], reported))
            except psycopg.OperationalError:
                raise
            except Exception as e:  # one file's trouble never ends the pass: it waits, the others go on
                msg = f"{inbox / shown}: {type(e).__name__}: {e}; left where it is"
                log.log(msg, level="error")
                outcomes.append(Outcome(key, shown, "error", detail=msg))
        return outcomes


def _report_once(log, reported, inbox, name, stamp, why, message, level="warning") -> None:
    if reported.first_time(str(inbox), name, stamp[:2], why):
        log.log(message, level=level)


def _reject(db, log, reported, inbox: Path, name: str, stamp, job: str, reason: str, action: str,
            sha: str | None = None, size: int | None = None) -> Outcome:
    """Record a file the watcher cannot take as a failed load of its job (dba.reject_file), so the
    runner quarantines it with its reason; it stays in the inbox until then."""
    try:
        load_id = db.one("SELECT load_id FROM dba.reject_file(p_job => %s, p_file_name => %s, p_sha256 => %s,"
                         " p_size => %s, p_reason => %s, p_run_uuid => %s)",
                         (job, name, sha, size, reason, log.run_uuid))[0]
    except psycopg.OperationalError:
        raise
    except psycopg.Error as db_error:
        load_id = None
        log.log(f"job {job}: cannot record that {name} failed: {dbm.describe(db_error)}", level="error")
    _report_once(log, reported, inbox, name, stamp, action,
                 f"job {job}: {name}: {reason}; recorded as failed load {load_id}, to be moved to the failed directory",
                 "error")
    return Outcome(str(inbox), name, action, job, load_id, detail=reason)


def _take(db, log, conv_log, inbox: Path, name: str, stamp, reported: Reported) -> Outcome:
    key = str(inbox)
    shown = safe_name(name)
    try:
        rows = db.call("SELECT job_name, inbox_dir, processing_dir, sheet_name FROM dba.match_config(%s)",
                       (shown,))
    except psycopg.Error as e:
        if isinstance(e, psycopg.OperationalError):
            raise
        msg = f"{inbox / shown}: cannot tell which job takes it: {dbm.describe(e)}"
        _report_once(log, reported, inbox, shown, stamp, "match_error", msg, "error")
        return Outcome(key, shown, "error", detail=msg)
    if not rows:
        _report_once(log, reported, inbox, shown, stamp, "no_job",
                     f"{inbox / shown}: no enabled job matches this name; left in the inbox")
        return Outcome(key, shown, "no_job")
    job, job_inbox, processing, sheet = rows[0]
    # The database says whether this inbox takes the job's files: the job's own inbox (by the path
    # or its real path) or the upload directory of a client who may deliver for the job (issue 15).
    takes, client = db.one("SELECT takes, client_name FROM dba.inbox_takes(%s, %s, %s)",
                           (job, key, os.path.realpath(inbox)))
    if not takes:
        _report_once(log, reported, inbox, shown, stamp, "other_inbox",
                     f"{inbox / shown}: matches job {job}, whose inbox is {job_inbox}; left where it is")
        return Outcome(key, shown, "other_inbox", job)
    if shown != name:
        # Not UTF-8 (e.g. Latin-1 from an old client) or with control characters: renamed to the
        # escaped name, so that the database, the logs and a person can name it, and quarantined.
        dest = inbox / shown
        if os.path.lexists(dest):
            raise FileExistsError(f"cannot rename a file whose name is not UTF-8 to {shown}: that name is taken")
        os.rename(inbox / name, dest)
        return _reject(db, log, reported, inbox, shown, stamp, job, action="refused",
                       reason=f"the file name is not valid UTF-8 or holds control characters (shown escaped);"
                              f" renamed to {shown!r}. "
                              "Rename it with a UTF-8 name and put it back in the inbox")
    if stamp[2] != 1:
        why = ("is a symbolic link" if stamp[2] == 0 else
               f"has {stamp[2]} hard links (its content is shared with a file elsewhere)")
        return _reject(db, log, reported, inbox, name, stamp, job, action="refused",
                       reason=f"refused unread: it {why}; Feeds only takes plain files with one link")
    try:
        return _take_for_job(db, log, conv_log, inbox, name, stamp, reported, job, processing, sheet,
                             client)
    except (psycopg.OperationalError, FileExistsError):
        raise
    except Exception as e:  # recorded against the file, which goes to the failed directory
        reason = str(e) if isinstance(e, fsutil.NotPlainFile) else f"cannot take it: {type(e).__name__}: {e}"
        return _reject(db, log, reported, inbox, name, stamp, job, reason, action="refused")


def _move_back(dest: Path, original: Path, converted: Path | None) -> str:
    """Undo the move of a file that could not be registered: it goes back where it came from
    (the watcher takes it again on a later pass), a converted CSV is removed. Returns what
    happened, for the log line."""
    try:
        fsutil.move_back(dest, original, [converted] if converted is not None else [])
    except OSError as e:
        return (f"it cannot go back to {original.parent} ({e}) and waits in {dest.parent} unread:"
                f" move it back to {original.parent} for the watcher to take it again")
    return f"back in {original.parent}, taken again on a later pass"


def _take_for_job(db, log, conv_log, inbox, name, stamp, reported, job, processing, sheet,
                  client=None) -> Outcome:
    key = str(inbox)
    proc = fsutil.ensure_dir(processing)
    dest = proc / name
    csv_dest = proc / db.one("SELECT dba.processing_name(%s, %s)", (job, name))[0]  # <name>.csv for a workbook
    excel = csv_dest.name != name  # the database's rule: a workbook job's file is converted
    if dest.exists() or (excel and csv_dest.exists()):
        _report_once(log, reported, inbox, name, stamp, "in_processing",
                     f"{inbox / name}: a file of that name is still in {proc} (not yet imported or moved); "
                     "left in the inbox until it is gone", "error")
        return Outcome(key, name, "in_processing", job)
    conversion = ""
    if excel:
        try:
            r = convert_limited(inbox / name, csv_dest, sheet=sheet, log=conv_log)
            conversion = f", converted to {csv_dest.name} ({r.rows} rows)"
        except ConvertError as e:
            # Nothing is lost: the database records the file as failed with its reason, and the
            # runner moves it to the job's failed directory with a .reason.txt.
            fd = fsutil.open_plain(inbox / name)
            try:
                sha, size = fsutil.digests_fd(fd)[:2]
            finally:
                os.close(fd)
            return _reject(db, log, reported, inbox, name, stamp, job, f"cannot convert: {e}", "convert_failed",
                           sha, size)
    try:
        digests = fsutil.move_hashing(inbox / name, dest)  # sha256 and chunk digest, one read
    except OSError as e:
        if excel:
            with contextlib.suppress(FileNotFoundError):
                csv_dest.unlink()
        if isinstance(e, fsutil.NotPlainFile):
            raise
        log.log(f"job {job}: cannot move {inbox / name} to {proc}: {e}", level="error")
        return Outcome(key, name, "error", job, detail=str(e))
    if excel:
        # The engine reads, hashes and de-duplicates the converted CSV (dba.run_import checks the
        # file it reads against this registration), so that is the content registered for an Excel job.
        digests = fsutil.digests_file(csv_dest)
    sha, size = digests.sha256, digests.size
    try:
        load_id, status, duplicate_of, final = register(db, job, name, digests, log.run_uuid)
    except psycopg.OperationalError:
        # The engine reads only registered files: unregistered, it would wait in processing unread.
        where = _move_back(dest, inbox / name, csv_dest if excel else None)
        log.log(f"job {job}: moved {name} to {proc} but could not register it (database unreachable); {where}",
                level="error")
        raise
    except psycopg.Error as e:
        where = _move_back(dest, inbox / name, csv_dest if excel else None)
        log.log(f"job {job}: moved {name} to {proc} but dba.register_file refused it: {dbm.describe(e)}; {where}",
                level="error")
        if where.startswith("back in"):  # recorded as failed: the runner quarantines it with the reason
            if excel:  # what was hashed is the converted CSV; the failed file is the workbook
                sha, size = fsutil.sha256_file(inbox / name), (inbox / name).stat().st_size
            return _reject(db, log, reported, inbox, name, stamp, job,
                           f"dba.register_file refused it: {dbm.describe(e)}", "refused", sha, size)
        return Outcome(key, name, "error", job, detail=dbm.describe(e))
    if client is not None:  # issue 15: the load records the client that delivered it
        try:
            db.call("SELECT dba.set_load_client(%s, %s)", (load_id, client))
        except psycopg.DatabaseError as e:
            log.log(f"job {job}: load {load_id} from client {client}: {dbm.describe(e)}", level="error")
    if final:  # dba.tloadstatus.is_final: the job already has this content
        log.log(f"job {job}: {name} has the same content as load {duplicate_of} (sha256 {sha[:12]}…); "
                f"registered as load {load_id}, {status}: it will be archived, not loaded", load_id=load_id)
        return Outcome(key, name, status, job, load_id, f"{status} of {duplicate_of}", settled=True)
    what = f"{csv_dest.name}: " if excel else ""
    log.log(f"job {job}: moved {name} to {proc}{conversion}; registered ({what}{size} bytes, sha256 {sha[:12]}…) "
            f"as load {load_id}, {status}", load_id=load_id)
    return Outcome(key, name, "registered", job, load_id)


def register(db: dbm.Db, job: str, name: str, digests: fsutil.Digests, run_uuid: str | None):
    """dba.register_file with the file's Digests (sha256, size, chunk digest), safe across a lost
    connection: before a retry, look whether the lost attempt registered the file after all (so
    a retry never registers it as its own duplicate)."""
    sha = digests.sha256
    check = ("SELECT d.load_id, d.status, d.duplicate_of, s.is_final FROM dba.tdataloads d"
             " JOIN dba.tloadstatus s USING (status)"
             " WHERE d.job_name = %s AND d.file_name = %s AND d.sha256 = %s AND d.run_uuid IS NOT DISTINCT FROM %s"
             " ORDER BY d.load_id DESC LIMIT 1", (job, name, sha, run_uuid))
    row = db.one("SELECT r.load_id, r.status, r.duplicate_of, s.is_final FROM dba.register_file(p_job => %s,"
                 " p_file_name => %s, p_sha256 => %s, p_size => %s, p_run_uuid => %s,"
                 " p_chunk_sha256 => %s, p_chunk_size => %s) r JOIN dba.tloadstatus s USING (status)",
                 (job, name, sha, digests.size, run_uuid, digests.chunk_sha256, digests.chunk_size),
                 already_done=check)
    return row


def summarize(outcomes: list[Outcome]) -> str:
    counts: dict[str, int] = {}
    for o in outcomes:
        counts[o.action] = counts.get(o.action, 0) + 1
    return ", ".join(f"{n} {a.replace('_', ' ')}" for a, n in sorted(counts.items())) or "no files"


class _Wake(FileSystemEventHandler):
    """A file that appears, changes or is closed after writing in an inbox sets the event the
    follow loop waits on; reads (the watcher's own) and dot-files (its lock) do not."""

    def __init__(self, wake: threading.Event):
        self.wake = wake

    def on_any_event(self, event) -> None:
        path = getattr(event, "dest_path", "") or event.src_path
        if event.is_directory or event.event_type not in ("created", "modified", "moved", "closed"):
            return
        if os.path.basename(os.fsdecode(path)).startswith("."):
            return
        self.wake.set()


def _observer(inboxes: list[str], wake: threading.Event, polling: bool):
    """A watchdog observer (inotify; its polling observer with polling=True, for network
    filesystems where inotify sees nothing) that wakes the follow loop on any inbox change."""
    observer = PollingObserver(timeout=1.0) if polling else Observer()
    handler = _Wake(wake)
    for inbox in inboxes:
        with contextlib.suppress(OSError):
            fsutil.ensure_dir(inbox)
            observer.schedule(handler, inbox, recursive=False)
    observer.start()
    return observer


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="feeds watch", description="Move complete files from the jobs' inboxes "
                                "into their processing directories and register them.")
    mode = p.add_mutually_exclusive_group(required=True)
    mode.add_argument("--once", action="store_true", help="one pass, then exit (for cron)")
    mode.add_argument("--follow", action="store_true",
                      help="keep watching: a pass whenever an inbox changes (inotify), and every --interval seconds")
    p.add_argument("--settle", type=float, default=None,
                   help="seconds between the two looks that tell a file is complete (default FEEDS_WATCH_SETTLE or 2)")
    p.add_argument("--interval", type=float, default=float(os.environ.get("FEEDS_WATCH_INTERVAL", 10)),
                   help="with --follow, seconds between passes when nothing happens (default 10)")
    p.add_argument("--polling", action="store_true", default=os.environ.get("FEEDS_WATCH_POLLING") == "1",
                   help="with --follow, poll the inboxes instead of inotify (network filesystems;"
                        " FEEDS_WATCH_POLLING=1)")
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
    stopping, wake = threading.Event(), threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: (stopping.set(), wake.set()))
    observer = None
    try:
        if args.follow:
            inboxes = enabled_inboxes(db)
            observer = _observer(inboxes, wake, args.polling)
            log.log(f"watching {len(inboxes)} inbox(es) ({'polling' if args.polling else 'inotify'};"
                    f" a pass at least every {args.interval:g} s)")
        while not stopping.is_set():
            wake.clear()
            outcomes = watch_once(db, log, settle=args.settle)
            failed = failed or any(o.failed for o in outcomes)
            if args.once:
                log.log(f"watch pass done: {summarize(outcomes)}")
                break
            if any(o.action not in ("no_job", "other_inbox", "in_processing", "unstable") for o in outcomes):
                log.log(f"watch pass done: {summarize(outcomes)}")
            # a file still settling needs another look soon, whether or not an event comes
            wait = args.interval if not any(o.action == "unstable" for o in outcomes) else min(args.interval, 1.0)
            wake.wait(wait)
        if stopping.is_set():
            log.log("stopped")
    except psycopg.OperationalError as e:
        log.log(f"database unreachable, giving up: {dbm.describe(e)}", level="error")
        return 1
    finally:
        if observer is not None:
            observer.stop()
            observer.join(5)
        with contextlib.suppress(psycopg.Error):
            db.call("SELECT dba.finish_run(%s)", (run,))
        db.close()
        log.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
