"""One whole run, for cron: `feeds run [--as-of DATE] [--report-dir DIR] [--settle SECONDS]`.

  1. dba.start_run('feeds_run', as_of); temporary files an interrupted run left in the archive
     and failed directories (.feeds-*.tmp) are removed, and the files it left in processing are
     moved (step 5) before anything is imported, so no file is imported twice
  2. pull: the download shims of other jobs (sftp_pull, meetmax_download) when they are installed
     and configured (see docs/operations.md "Pulls"); skipped otherwise
  3. watch once: move complete files from the inboxes into processing and register them (a
     symlink or multi-link file planted straight in processing goes back to its inbox first,
     where the watcher refuses it unread)
  4. SELECT * FROM dba.run_import(p_run_uuid => run): the engine loads every waiting file
  5. move what the database says (dba.files_to_move, which also names the leftovers of earlier
     runs and the target names, shortened to fit NAME_MAX): loaded, duplicate and undone files
     into the job's archive directory as <YYYYMMDD>-<load id>-<name>[.duplicate].zip, failed
     files into its failed directory with <name>.reason.txt beside them; then
     dba.mark_moved(load, path). Before a file is archived its size and sha256 are checked
     against what the load read, and /proc against a process that still writes it: a changed
     file's load is undone and failed (dba.fail_changed_load, FD014) and the file goes back to
     the inbox to load whole later. Nothing is moved before run_import committed the file's
     fate; one load that cannot move is logged and the others go on.
  6. report: dba.queue_run_report(run, admins) and `feeds mail send` (saving the mail under
     --report-dir when no SMTP server is configured), when both are installed; the report also
     tells the loads of an earlier run that was killed before its report; then the fallback
     log lines (written while the database was away) are replayed into dba.tlogentry
  7. dba.finish_run(run)
Everything the run creates is 0660 (directories 2770), group etl_group (the user's own group when
the user is not a member): umask 007 and setgid directories.
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
import stat
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


# --- 3b. links planted in processing ------------------------------------------------------------

def links_out_of_processing(db: dbm.Db, log: dbm.RunLog) -> None:
    """A symlink or a multi-link file put straight into a processing directory would be read by
    the engine (the database cannot tell a link from a file): it goes back to its job's inbox,
    where the watcher refuses it unread and records why. Runs before the watcher's pass."""
    for (proc,) in db.call("SELECT DISTINCT processing_dir FROM dba.timportconfig WHERE enabled ORDER BY 1"):
        try:
            entries = [e for e in os.scandir(proc) if not e.name.startswith(".")]
        except OSError:
            continue
        for e in entries:
            try:
                st = e.stat(follow_symlinks=False)
                if not (stat.S_ISLNK(st.st_mode) or (stat.S_ISREG(st.st_mode) and st.st_nlink > 1)):
                    continue
                shown = file_watcher.safe_name(e.name)
                job = db.one("SELECT inbox_dir FROM dba.match_config(%s)", (shown,))
                if job is None:
                    log.log(f"{proc}/{shown} is a link; no job takes the name, left where it is", level="error")
                    continue
                dest = Path(job[0]) / e.name
                if os.path.lexists(dest):
                    raise FileExistsError(f"{dest} exists")
                os.rename(e.path, dest)
                log.log(f"{proc}/{shown} is a link (planted in processing); moved back to {job[0]}, where it is"
                        " refused unread", level="error")
            except psycopg.OperationalError:
                raise
            except (OSError, psycopg.Error) as err:
                log.log(f"{proc}/{file_watcher.safe_name(e.name)} is a link and cannot be moved away: {err}",
                        level="error")


# --- 4. import -----------------------------------------------------------------------------------

# What a shim does with a load is the database's: dba.tloadstatus says whether a status failed
# and how to log it (a dry run's status, which no load keeps, has no row: not failed, info).
BY_STATUS = " LEFT JOIN dba.tloadstatus s USING (status)"
IMPORT_SQL = ("SELECT i.load_id, i.file_name, i.job, i.status, i.rows_read, i.rows_inserted, i.rows_updated,"
              " i.rows_rejected, i.message, s.is_failed IS TRUE, coalesce(s.log_level, 'info')")

def run_import(db: dbm.Db, log: dbm.RunLog, run: str) -> list[tuple]:
    with progress.copy_progress(db):  # COPY progress on a TTY (shims/progress.py; the one line the shims engineer added)
        rows = db.call(IMPORT_SQL + " FROM dba.run_import(p_run_uuid => %s) WITH ORDINALITY i" + BY_STATUS
                       + " ORDER BY i.ordinality", (run,))
    for load_id, name, job, status, *_counts, message, _failed, level in rows:
        log.log(f"import {name} (job {job}, load {load_id}): {status}: {message}", load_id=load_id, level=level)
    rows = [r[:-2] for r in rows]
    if not rows:
        log.log("import: no files waiting")
    return rows


# --- 5. archive and quarantine -----------------------------------------------------------------

def move_files(db: dbm.Db, log: dbm.RunLog, run: str | None, leftovers: bool = False) -> list[tuple[int, str, str]]:
    """Move every file dba.files_to_move lists for the run (with leftovers=True also those that
    earlier runs left behind: the database's rule) to where it says; return (load_id, status,
    new path). One load's trouble is logged against it and the others go on."""
    rows = db.call("SELECT m.load_id, m.status, m.from_path, m.to_dir, m.reason, m.to_name, m.sha256, m.file_size,"
                   " s.is_failed, m.back_to FROM dba.files_to_move(%s, p_include_leftovers => %s) m JOIN dba.tloadstatus s"
                   " USING (status) ORDER BY m.load_id, m.from_path", (run, leftovers))
    mine = _loads_of(db, run) if run is not None else set()
    others = {r[0] for r in rows if run is not None and r[0] not in mine}
    if others:
        log.log(f"{len(others)} load(s) of earlier runs still wait in processing; moving them too")
    moved = []
    for load_id, items in groupby(rows, key=lambda r: r[0]):
        items = list(items)
        try:
            moved.append(_move_load(db, log, load_id, items))
        except psycopg.OperationalError:
            raise
        except Exception as e:  # this load's files stay where they are, with the reason logged
            log.log(f"load {load_id}: cannot move {items[0][2]} to {items[0][3]}: {type(e).__name__}: {e};"
                    " it stays where it is", level="error", load_id=load_id)
    return moved


def _loads_of(db: dbm.Db, run: str) -> set[int]:
    return {r[0] for r in db.call("SELECT load_id FROM dba.tdataloads WHERE run_uuid = %s", (run,))}


def _move_load(db, log, load_id, items) -> tuple[int, str, str]:
    status, to_dir = items[0][1], Path(items[0][3])
    paths = [Path(r[2]) for r in items]
    reason = next((r[4] for r in items if r[4]), None)
    original = min(paths, key=lambda p: len(p.name))  # list.xls before list.xls.csv
    if items[0][9]:  # not the registered file when the engine read it: back to the inbox
        return _return_to_inbox(db, log, load_id, status, paths, original, Path(items[0][9]), reason)
    fsutil.ensure_dir(to_dir)
    if items[0][8]:  # dba.tloadstatus.is_failed: quarantine
        names = {Path(r[2]): r[5] for r in items}
        where = _quarantine(load_id, paths, original, to_dir, reason, names)
    else:
        read = max(paths, key=lambda p: len(p.name))  # the file the engine read (the CSV of a workbook)
        changed = _changed(read, items[0][6], items[0][7], paths)
        if changed:
            return _put_back(db, log, load_id, status, paths, original, changed)
        try:
            where = _archive(load_id, paths, original, to_dir, items[0][5], recheck=read)
        except Changed as e:
            return _put_back(db, log, load_id, status, paths, original, str(e))
    db.call("SELECT dba.mark_moved(%s, %s)", (load_id, str(where)))
    log.log(f"load {load_id} ({status}): {original.name} -> {where}", load_id=load_id)
    return load_id, status, str(where)


class Changed(Exception):
    """The file changed while it was being archived."""


def _changed(read: Path, sha256: str | None, size: int | None, paths: list[Path]) -> str | None:
    """Why the file is no longer what the load read (None when it is): another size or sha256,
    or a process that still has one of the load's files open for writing."""
    writing = fsutil.open_for_writing()
    for p in paths:
        busy = fsutil.writers(p, writing) if p.exists() else []
        if busy:
            return f"{p.name} is still open for writing by process {', '.join(map(str, busy))}"
    if not read.exists():
        return None  # archived by a run that died before dba.mark_moved: _archive finds the zip
    st = os.lstat(read)
    if size is not None and st.st_size != size:
        return f"{read.name} is {st.st_size} bytes, the load read {size}"
    if sha256 is not None and fsutil.sha256_file(read) != sha256:
        return f"{read.name} has another sha256 than the load read"
    return None


def _put_back(db, log, load_id, status, paths, original, why) -> tuple[int, str, str]:
    """dba.fail_changed_load undoes the load and names the inbox path; the original goes back
    there (the writer's open file moves with it), a converted CSV is removed."""
    inbox_path = Path(db.one("SELECT dba.fail_changed_load(%s, %s)", (load_id, why))[0])
    fsutil.move_back(original, inbox_path, [p for p in paths if p != original])
    now = db.one("SELECT status FROM dba.tdataloads WHERE load_id = %s", (load_id,))[0]
    log.log(f"load {load_id} ({status}): {why}; undone ({now}), {original.name} back to {inbox_path.parent}"
            " to load whole in a later run", level="error", load_id=load_id)
    return load_id, now, str(inbox_path)


def _return_to_inbox(db, log, load_id, status, paths, original, inbox_path: Path, reason) -> tuple[int, str, str]:
    """The path dba.files_to_move gives in back_to: the original goes back there (a writer's open
    file moves with it), a converted CSV is removed; the watcher takes the file again. Safe to
    repeat after a crash (the file already back is recorded as such)."""
    if original.exists() or original.is_symlink():
        fsutil.move_back(original, inbox_path, [p for p in paths if p != original])
    elif not (inbox_path.exists() or inbox_path.is_symlink()):
        raise FileNotFoundError(f"{original} is gone and is not in {inbox_path.parent}")
    db.call("SELECT dba.mark_moved(%s, %s)", (load_id, str(inbox_path)))
    log.log(f"load {load_id} ({status}): {reason.splitlines()[0] if reason else 'not the registered file'};"
            f" {original.name} back to {inbox_path.parent} to load whole in a later run", level="error", load_id=load_id)
    return load_id, status, str(inbox_path)


def _archive(load_id, paths, original, to_dir: Path, name: str, recheck: Path | None = None) -> Path:
    """Zip the load's files into one archive named as dba.files_to_move says (written whole, then
    the sources go).
    Safe to repeat after a crash: an existing archive of the load is reused. With recheck, the
    file must have the same size and mtime after zipping as before, else Changed."""
    existing = [p for p in to_dir.glob(f"[0-9]*-{load_id}-*.zip") if re.match(rf"^\d{{8}}-{load_id}-", p.name)]
    if existing:
        dest = existing[0]
    else:
        dest = to_dir / name
        present = [p for p in paths if p.exists()]
        if not present:
            raise FileNotFoundError(f"none of {', '.join(map(str, paths))} exists")
        stamp = _stamp(recheck)
        with fsutil.atomic_writer(dest, "wb") as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
            for p in present:
                z.write(p, arcname=p.name)
            if stamp != _stamp(recheck):
                raise Changed(f"{recheck.name} changed while it was being archived")
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
    fsutil.fsync_dir(original.parent)
    return dest


def _stamp(path: Path | None):
    if path is None or not path.exists():
        return None
    st = os.lstat(path)
    return st.st_size, st.st_mtime_ns, st.st_ino


def _quarantine(load_id, paths, original, to_dir: Path, reason, names: dict | None = None) -> Path:
    """Move the load's files into the failed directory under the names dba.files_to_move gives
    (a taken name gets the load id in front) and write <name>.reason.txt beside the original.
    Safe to repeat after a crash."""
    marker = f"load {load_id}"
    dest_of = {}
    for p in paths:
        target = (names or {}).get(p) or p.name
        plain, tagged = to_dir / target, to_dir / f"{load_id}-{target}"
        if p.exists() or p.is_symlink():
            dest = plain if not os.path.lexists(plain) and not Path(str(plain) + ".reason.txt").exists() else tagged
            fsutil.move(p, dest)
        elif os.path.lexists(tagged):
            dest = tagged
        elif os.path.lexists(plain):
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
    """One run; returns (run uuid, exit code). Everything it creates is 0660 (directories 2770)
    group etl_group: umask 007, and the state, log and report directories made setgid first."""
    with fsutil.group_modes():
        return _locked_run(as_of, report_dir, settle, echo)


def _locked_run(as_of, report_dir, settle, echo) -> tuple[str | None, int]:
    for d in (dbm.fallback_dir(), report_dir):
        if d is not None:
            with contextlib.suppress(OSError):
                fsutil.ensure_dir(d)
    fsutil.ensure_dir(file_watcher.state_dir())
    path = file_watcher.state_dir() / "runner.lock"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o660)
    with contextlib.suppress(OSError):
        fsutil.set_fd_perms(fd)  # 0660 etl_group: another member's runner may lock it too
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        print(f"feeds run: another feeds run holds {path}; nothing done", file=sys.stderr)
        return None, 1
    try:
        return _run(as_of, report_dir, settle, echo)
    finally:
        os.close(fd)


def clean_orphans(db: dbm.Db, log: dbm.RunLog) -> None:
    """Temporary files a killed run left in the archive and failed directories go (only one
    `feeds run` works at a time: it holds runner.lock)."""
    dirs = db.call("SELECT DISTINCT d FROM dba.timportconfig c, LATERAL (VALUES (c.archive_dir), (c.failed_dir)) v(d)"
                   " WHERE c.enabled ORDER BY 1")
    for (d,) in dirs:
        for p in fsutil.clean_orphans(d):
            log.log(f"removed {p}, a temporary file an interrupted run left", level="warning")


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
        clean_orphans(db, log)
        # what an interrupted run left in processing goes first: run_import must not take a file
        # again whose fate is already recorded (one file, one load)
        move_files(db, log, run_uuid, leftovers=True)
        pulled = pull(log)
        failed |= bool(pulled)
        last_problems[:] = pulled
        links_out_of_processing(db, log)
        outcomes = []
        try:
            outcomes = file_watcher.watch_once(db, wlog, settle=settle)
            failed |= any(o.failed for o in outcomes)
            wlog.log(f"watch: {file_watcher.summarize(outcomes)}")
        except psycopg.OperationalError:
            raise
        except Exception as e:  # the files already waiting still load
            wlog.log(f"watch stopped by an unexpected error: {type(e).__name__}: {e}", level="error")
            failed = True
            last_problems.append(f"the watch stopped: {type(e).__name__}: {e}")
        run_import(db, log, run_uuid)
        move_files(db, log, run_uuid, leftovers=True)
        counts = db.call("SELECT d.status, count(*), s.is_failed FROM dba.tdataloads d" + BY_STATUS
                         + " WHERE d.run_uuid = %s GROUP BY d.status, s.is_failed ORDER BY d.status", (run_uuid,))
        any_failed = any(is_failed for _s, _n, is_failed in counts)
        failed |= any_failed
        # registered in this run, yet the engine did not take it (a status that is not final)
        for load_id, name, path in db.call("SELECT d.load_id, d.file_name, d.file_path FROM dba.tdataloads d"
                                           + BY_STATUS + " WHERE d.run_uuid = %s AND NOT s.is_final", (run_uuid,)):
            failed = True
            log.log(f"load {load_id}: {name} was registered but not imported (is {path} where the database"
                    " server can read it?); it waits for the next run", level="error", load_id=load_id)
        if any_failed or any(o.failed for o in outcomes):
            last_problems.append("some files FAILED")
        log.log("run summary: " + (", ".join(f"{n} {s}" for s, n, _f in counts) or "no files"),
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
