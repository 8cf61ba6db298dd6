"""Faults injected into whole runs, each landing where the test says (a lock the test holds and
waits on, strace killing the runner at a given rename, the server stopped at a seam), then the
checks a user makes: each good row once, every file kept, failures told, the next run healthy."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import psycopg
import pytest

from reliability.conftest import FEEDS, check_job, run_feeds, table_rows
from shims import runner
from test_runner import import_held

H = b"id,name,email\r\n"


def rows_bytes(ids) -> bytes:
    return H + b"".join(f"{i},n{i},e{i}@example.com\r\n".encode() for i in ids)


def rows(ids):
    return [(i, f"n{i}", f"e{i}@example.com") for i in ids]


def feeds_run(*extra, env=None, **kw):
    return subprocess.Popen([*extra, FEEDS, "run", "--settle", "0.2"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env or dict(os.environ), **kw)


def reported_in(etl, job):
    return etl.execute("SELECT file_name, status, reported_in FROM dba.tdataloads WHERE job_name = %s ORDER BY load_id",
                       (job["job"],)).fetchall()


def run_of_report(etl, run):
    return etl.execute("SELECT body_text FROM dba.build_run_report(%s)", (run,)).fetchone()[0]


def _stop_server_when(proc, pgcluster, reached) -> str:
    """Stop the server once reached() returns (the fault point); start it again; the run's stderr."""
    try:
        reached()
        pgcluster("stop")
        return proc.communicate(timeout=120)[1]
    finally:
        if proc.poll() is None:
            proc.kill()
        pgcluster("start")


def _next_run_finishes(dsn, job, ledger, want) -> None:
    with psycopg.connect(dsn + " user=feeds_etl", autocommit=True) as etl:  # the server was restarted
        run, rc, out = run_feeds()
        assert rc == 0, out
        check_job(etl, job, ledger, want, files=1)


OUTAGE = {"FEEDS_DB_RETRIES": "1", "FEEDS_DB_BACKOFF": "0.1"}


@pytest.mark.timeout(240)
def test_database_stopped_during_an_upsert(shim_env, rjob, dsn, pgcluster, ledger):
    job = rjob(mode="upsert", keys=("id",))
    (job["inbox"] / f"{job['job']}_1.csv").write_bytes(rows_bytes(range(1, 6)))
    with import_held(dsn, job) as wait_blocked:
        proc = feeds_run(env=dict(os.environ, **OUTAGE))
        out = _stop_server_when(proc, pgcluster, lambda: wait_blocked(proc))
    assert proc.returncode == 1 and "database unreachable" in out, out
    ledger.faults.add("database stopped during an upsert")
    _next_run_finishes(dsn, job, ledger, rows(range(1, 6)))


@pytest.mark.timeout(240)
def test_database_stopped_during_copy(shim_env, rjob, dsn, pgcluster, ledger):
    """The server stops while COPY streams the file (pg_stat_progress_copy shows it working)."""
    job = rjob()
    n = 300_000
    (job["inbox"] / f"{job['job']}_big.csv").write_bytes(rows_bytes(range(n)))
    proc = feeds_run(env=dict(os.environ, **OUTAGE))

    def copying():
        with psycopg.connect(dsn + " user=postgres", autocommit=True) as watch:
            deadline = time.monotonic() + 120
            while not watch.execute("SELECT EXISTS (SELECT FROM pg_stat_progress_copy p JOIN pg_stat_activity a"
                                    " USING (pid) WHERE a.usename = 'feeds_etl')").fetchone()[0]:
                assert time.monotonic() < deadline and proc.poll() is None, "no COPY was seen working"
                time.sleep(0.01)
    out = _stop_server_when(proc, pgcluster, copying)
    assert proc.returncode == 1, out
    ledger.faults.add("database stopped during COPY")
    _next_run_finishes(dsn, job, ledger, rows(range(n)))


@pytest.mark.timeout(240)
def test_database_stopped_between_commit_and_archive(shim_env, rjob, dsn, pgcluster, ledger, monkeypatch):
    job = rjob()
    (job["inbox"] / f"{job['job']}_1.csv").write_bytes(rows_bytes([1, 2]))
    (job["inbox"] / f"{job['job']}_bad.csv").write_bytes(b"wrong\r\n1\r\n")
    run_import = runner.run_import

    def import_then_stop(*a, **kw):  # run_import has committed; the server goes before the files move
        rows = run_import(*a, **kw)
        pgcluster("stop")
        return rows
    monkeypatch.setattr(runner, "run_import", import_then_stop)
    monkeypatch.setenv("FEEDS_DB_RETRIES", "1")
    try:
        run1, rc, out = run_feeds()
    finally:
        pgcluster("start")
    assert rc == 1 and "database unreachable" in out, out
    monkeypatch.setattr(runner, "run_import", run_import)
    ledger.faults.add("database stopped between commit and archive")
    with psycopg.connect(dsn + " user=feeds_etl", autocommit=True) as etl:
        run2, rc, out = run_feeds()
        assert rc == 0, out  # this run's own files all loaded; it moved what the stopped run left
        check_job(etl, job, ledger, rows([1, 2]), files=2, failed={f"{job['job']}_bad.csv": "header"})
        assert {r[2] for r in reported_in(etl, job)} == {__import__("uuid").UUID(run2)}
        assert f"{job['job']}_bad.csv" in run_of_report(etl, run2)


@pytest.mark.timeout(240)
def test_runner_killed_during_import(shim_env, rjob, dsn, etl, ledger):
    job = rjob()
    (job["inbox"] / f"{job['job']}_1.csv").write_bytes(rows_bytes([1, 2, 3]))
    with import_held(dsn, job) as wait_blocked:
        proc = feeds_run()
        wait_blocked(proc)
        proc.kill()  # SIGKILL while dba.run_import waits inside
        proc.wait()
    ledger.faults.add("SIGKILL during import")
    run, rc, out = run_feeds()
    assert rc == 0, out
    check_job(etl, job, ledger, rows([1, 2, 3]), files=1)


def _strace_kill_at_rename(n: int):
    if shutil.which("strace") is None:
        pytest.skip("strace is not installed (bin/setup installs it)")
    return ["strace", "-f", "-qq", "-o", "/dev/null", "-e", "trace=rename,renameat,renameat2",
            "-e", f"inject=rename,renameat,renameat2:signal=SIGKILL:when={n}"]


@pytest.mark.timeout(240)
@pytest.mark.parametrize("what", ["archive", "quarantine"])
def test_runner_killed_while_moving_then_the_next_run_moves_and_reports(shim_env, rjob, etl, ledger, what):
    """Rename 1 moves the file from the inbox into processing; rename 2 puts the archive in place
    (or moves the failed file to failed/): SIGKILL lands on that one."""
    job = rjob()
    name = f"{job['job']}_{what}.csv"
    (job["inbox"] / name).write_bytes(rows_bytes([7, 8]) if what == "archive" else b"wrong\r\n1\r\n")
    proc = feeds_run(*_strace_kill_at_rename(2))
    out = proc.communicate(timeout=120)
    assert proc.returncode != 0, out
    [(fname, status, rep)] = reported_in(etl, job)
    assert rep is None and (job["processing"] / name).exists(), (status, out)
    ledger.faults.add(f"SIGKILL during {what}")
    run, rc, out = run_feeds()
    check_job(etl, job, ledger, rows([7, 8]) if what == "archive" else [], files=1,
              failed={name: "header"} if what == "failed" else None)
    [(fname, status, rep)] = reported_in(etl, job)  # one file, one load, told by the next report
    assert str(rep) == run and name in run_of_report(etl, run)
    assert not [p for d in ("archive", "failed") for p in job[d].iterdir() if p.name.startswith(".")]
    if what == "quarantine":
        assert status == "failed" and (job["failed"] / (name + ".reason.txt")).exists()
        assert "FAILURE" in run_of_report(etl, run)


@pytest.mark.timeout(240)
def test_two_runners_at_once(shim_env, rjob, dsn, etl, ledger):
    job = rjob()
    (job["inbox"] / f"{job['job']}_1.csv").write_bytes(rows_bytes([1, 2]))
    with import_held(dsn, job) as wait_blocked:
        first = feeds_run()
        wait_blocked(first)
        second = subprocess.run([FEEDS, "run", "--settle", "0.2"], capture_output=True, text=True, timeout=60)
    out = first.communicate(timeout=120)
    assert second.returncode == 1 and "another feeds run" in second.stderr
    assert first.returncode == 0, out
    ledger.faults.add("two runners at once")
    check_job(etl, job, ledger, rows([1, 2]), files=1)


@pytest.mark.timeout(120)
def test_processing_disk_full(shim_env, rjob, etl, ledger, workdir):
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs as the processing directory")
    proc_dir = workdir / "small"  # where the database server may read
    proc_dir.mkdir()
    gid = runner.fsutil.group_id()
    opts = f"size=64k,mode=2770{f',gid={gid}' if gid is not None else ''}"
    if subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(proc_dir)]).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        job = rjob(dirs={"processing": proc_dir})
        big = rows_bytes(range(10_000))  # ~200 kB: more than the disk holds
        (job["inbox"] / f"{job['job']}_big.csv").write_bytes(big)
        (job["inbox"] / f"{job['job']}_small.csv").write_bytes(rows_bytes([1]))
        run, rc, out = run_feeds()
        assert rc == 1 and "No space left on device" in out, out
        assert (job["inbox"] / f"{job['job']}_big.csv").read_bytes() == big
        assert not [p for p in proc_dir.iterdir() if p.name.startswith(".feeds-")]
        ledger.faults.add("processing disk full")
        subprocess.run(["mount", "-o", "remount,size=8m", str(proc_dir)], check=True)
        run2, rc, out2 = run_feeds()
        assert rc == 0, out2
        check_job(etl, job, ledger, rows(range(10_000)) + rows([1]), files=2)
    finally:
        subprocess.run(["umount", "-l", str(proc_dir)])


WRITER = r"""
import sys, time
f = open(sys.argv[1], sys.argv[2], buffering=1)
for line in sys.stdin:
    if line.strip() == "close":
        break
    f.write(line.rstrip("\n") + "\r\n")
    f.flush()
    print("ok", flush=True)
f.close()
"""


def _writer(path, mode="a"):
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), mode], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)


def _say(w, line):
    w.stdin.write(line + "\n")
    w.stdin.flush()
    assert w.stdout.readline().strip() == "ok"


def _last_rows_load_whole(w, etl, job, ledger, fault):
    """The writer (whose open file moved back to the inbox with the file) appends row 4 and
    closes; the next run loads rows 1-4 exactly once."""
    _say(w, "4,n4,e4@example.com")
    w.stdin.write("close\n")
    w.stdin.close()
    w.wait()
    run, rc, out = run_feeds()
    assert rc == 0, out
    ledger.faults.add(fault)
    check_job(etl, job, ledger, rows([1, 2, 3, 4]), files=1)


@pytest.mark.timeout(120)
def test_a_file_growing_with_pauses_longer_than_the_settle_time(shim_env, rjob, etl, ledger):
    """A client keeps its file open and appends now and then: the watcher waits while it is open
    for writing, whatever the pauses; the whole file loads once it is closed."""
    job = rjob()
    path = job["inbox"] / f"{job['job']}_growing.csv"
    w = _writer(path, "w")
    _say(w, "id,name,email")
    for i in range(1, 6):
        _say(w, f"{i},n{i},e{i}@example.com")
    run, rc, out = run_feeds(settle=0.2)  # the file is older than the settle time, and still open
    assert path.exists(), out
    assert etl.execute("SELECT count(*) FROM dba.tdataloads WHERE job_name = %s", (job["job"],)).fetchone()[0] == 0
    for i in range(6, 21):
        _say(w, f"{i},n{i},e{i}@example.com")
    w.stdin.write("close\n")
    w.stdin.close()
    w.wait()
    run, rc, out = run_feeds(settle=0.2)
    ledger.faults.add("a file growing with pauses longer than the settle time")
    check_job(etl, job, ledger, rows(range(1, 21)), files=1)


@pytest.mark.timeout(120)
def test_a_file_that_changes_while_it_loads_fails_keeps_nothing_and_goes_back_to_load_whole(shim_env, rjob, dsn, etl,
                                                                                             ledger):
    """A writer opens the file after the watcher registered it and appends while the import runs:
    the engine's check after the load (the file is no longer the one registered, as a link
    swapped in would not be) fails it with FD016 and rolls back every row it read; the runner puts
    the file back into the inbox (dba.files_to_move's back_to), and the next run loads it whole.
    No row lost, none twice."""
    job = rjob()
    name = f"{job['job']}_late.csv"
    (job["inbox"] / name).write_bytes(rows_bytes([1, 2]))
    with import_held(dsn, job) as wait_blocked:
        proc = feeds_run()
        wait_blocked(proc)  # checked and staged or about to be read; this writer appends
        w = _writer(job["processing"] / name)
        _say(w, "3,n3,e3@example.com")
    out = proc.communicate(timeout=120)
    assert proc.returncode == 1, out
    [(status, state, msg)] = etl.execute("SELECT status, error_sqlstate, error_message FROM dba.tdataloads"
                                         " WHERE job_name = %s", (job["job"],)).fetchall()
    assert (status, state) == ("failed", "FD016") and "is not the file feeds watch registered (after loading" in msg
    assert table_rows(etl, job) == [] and list(job["failed"].iterdir()) == []
    assert (job["inbox"] / name).exists() and not (job["processing"] / name).exists()
    _last_rows_load_whole(w, etl, job, ledger, "a file that changes while it loads")


@pytest.mark.timeout(120)
def test_a_file_that_changes_after_it_loaded_is_undone_and_loads_whole_later(shim_env, rjob, etl, ledger, monkeypatch):
    """The import committed, then a writer appends before the runner archives the file: the runner
    sees it (size, sha256, /proc), undoes the load (FD014) and puts the file back in the inbox,
    and the next run loads the complete file. No row lost, none twice."""
    job = rjob()
    name = f"{job['job']}_late.csv"
    (job["inbox"] / name).write_bytes(rows_bytes([1, 2]))
    run_import, box = runner.run_import, {}

    def import_then_write(*a, **kw):  # run_import has committed; the writer starts before the files move
        got = run_import(*a, **kw)
        box["w"] = _writer(job["processing"] / name)
        _say(box["w"], "3,n3,e3@example.com")
        return got
    monkeypatch.setattr(runner, "run_import", import_then_write)
    run, rc, out = run_feeds()
    monkeypatch.setattr(runner, "run_import", run_import)
    assert rc == 1, out
    [(status, state, msg)] = etl.execute("SELECT status, error_sqlstate, error_message FROM dba.tdataloads"
                                         " WHERE job_name = %s", (job["job"],)).fetchall()
    assert (status, state) == ("failed", "FD014") and "changed after it was read" in msg
    assert table_rows(etl, job) == [] and (job["inbox"] / name).exists()
    w = box["w"]
    _last_rows_load_whole(w, etl, job, ledger, "a file that changes after it was read")
