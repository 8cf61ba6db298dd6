"""`feeds run` end to end through dba.run_import: archive and quarantine, status and errors,
fallback logging and replay, and a database outage in the middle of a run."""
import contextlib
import csv
import io
import os
import re
import stat
import subprocess
import time
import uuid
import zipfile

import openpyxl
import psycopg
from psycopg import sql
import pytest

from conftest import ROOT
from shims import db as dbm
from shims import runner
from test_watcher import csv_bytes, make_job, shim_env  # noqa: F401  (fixtures)

FEEDS = str(ROOT / "bin/feeds")


def statuses(etl, run):
    return dict(etl.execute("SELECT file_name, status FROM dba.tdataloads WHERE run_uuid = %s", (run,)).fetchall())


@contextlib.contextmanager
def import_held(dsn, job):
    """Hold an ACCESS EXCLUSIVE lock on the job's target table; yields a function that waits until
    a `feeds run` import is blocked on it (pg_stat_activity says so), so a fault injected then lands
    inside dba.run_import, whatever the machine's speed."""
    holder = psycopg.connect(dsn + " user=postgres")
    holder.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.Identifier(*job["table"].split("."))))

    def wait_blocked(proc, timeout=60):
        with psycopg.connect(dsn + " user=postgres", autocommit=True) as watch:
            deadline = time.monotonic() + timeout
            while not watch.execute(
                    "SELECT EXISTS (SELECT FROM pg_stat_activity WHERE usename = 'feeds_etl'"
                    " AND wait_event_type = 'Lock' AND query LIKE '%%dba.run_import(%%')").fetchone()[0]:
                assert time.monotonic() < deadline and proc.poll() is None, "the import never waited on the lock"
                time.sleep(0.05)
    try:
        yield wait_blocked
    finally:
        with contextlib.suppress(psycopg.Error):
            holder.close()


def test_a_whole_run_archives_loaded_files_and_quarantines_failed_ones(shim_env, make_job, etl, tmp_path):
    people = make_job(email_rule=True)
    books = make_job("xlsx")
    p = people["job"]
    (people["inbox"] / f"{p}_good.csv").write_bytes(csv_bytes())
    (people["inbox"] / f"{p}_bad_rows.csv").write_bytes(
        b"id,name,email\r\n3,Cy,cy@example.com\r\n4,Di,not-an-address\r\nfive,Ed,ed@example.com\r\n")
    (people["inbox"] / f"{p}_wrong_header.csv").write_bytes(b"id,nom,courriel\r\n1,a,b@example.com\r\n")
    (people["inbox"] / "nobody_takes_this.txt").write_bytes(b"hello")
    wb = openpyxl.Workbook()
    wb.active.append(["id", "name", "email"])
    wb.active.append([10, "Xavier", "x@example.com"])
    wb.save(books["inbox"] / f"{books['job']}_book.xlsx")

    out = io.StringIO()
    run, rc = runner.run(settle=0.2, report_dir=tmp_path / "reports", echo=out)
    assert rc == 1, out.getvalue()  # one file failed
    assert statuses(etl, run) == {f"{p}_good.csv": "loaded", f"{p}_bad_rows.csv": "loaded_with_rejects",
                                  f"{p}_wrong_header.csv": "failed", f"{books['job']}_book.xlsx": "loaded"}
    # nothing left in processing; the unknown file still in the inbox, reported
    assert list(people["processing"].iterdir()) == [] and list(books["processing"].iterdir()) == []
    assert (people["inbox"] / "nobody_takes_this.txt").exists()
    assert "nobody_takes_this.txt: no enabled job matches this name" in out.getvalue()

    # archives: date-named zips holding the file (an Excel load: the workbook and its CSV)
    today = time.strftime("%Y%m%d")
    zips = sorted(x.name for x in people["archive"].iterdir())
    assert len(zips) == 2 and all(re.fullmatch(rf"{today}-\d+-{p}_(good|bad_rows)\.csv\.zip", z) for z in zips)
    [book_zip] = books["archive"].iterdir()
    assert sorted(zipfile.ZipFile(book_zip).namelist()) == [f"{books['job']}_book.xlsx", f"{books['job']}_book.xlsx.csv"]
    # quarantine: the file and its reason
    failed = people["failed"] / f"{p}_wrong_header.csv"
    assert failed.read_bytes().startswith(b"id,nom,courriel")
    reason = (people["failed"] / f"{p}_wrong_header.csv.reason.txt").read_text()
    assert "failed" in reason and "nom" in reason
    # the database knows where each file lies now
    where = dict(etl.execute("SELECT file_name, file_location FROM dba.tdataloads WHERE run_uuid = %s", (run,)).fetchall())
    assert where[f"{p}_wrong_header.csv"] == str(failed)
    assert where[f"{books['job']}_book.xlsx"] == str(book_zip)

    # feeds status and feeds errors, as a user reads them
    st = subprocess.run([FEEDS, "status", "--run", run], capture_output=True, text=True, check=True).stdout
    lines = st.splitlines()
    assert lines[0].split() == ["load", "file", "job", "status", "rows", "loaded", "rejects", "when"]
    bad_line = next(line for line in lines if f"{p}_bad_rows.csv" in line)
    assert bad_line.split()[2:7] == [p, "loaded_with_rejects", "3", "1", "2"]
    bad_id = int(bad_line.split()[0])
    er = subprocess.run([FEEDS, "errors", str(bad_id)], capture_output=True, text=True, check=True).stdout
    assert "3 rows read, 2 rejected" in er
    assert re.search(r"^\s*3\s+email\s+not-an-address\s+email\s", er, re.M), er
    assert re.search(r"^\s*4\s+id\s+five\s+type\s", er, re.M), er
    rows = list(csv.reader(io.StringIO(subprocess.run([FEEDS, "errors", str(bad_id), "--csv"], capture_output=True,
                                                      text=True, check=True).stdout)))
    assert rows[0] == ["line", "column", "value", "rule", "message", "raw_line"]
    assert ["3", "email", "not-an-address", "email"] == rows[1][:4] and rows[1][5] == "4,Di,not-an-address"
    by_job = subprocess.run([FEEDS, "status", "--job", books["job"]], capture_output=True, text=True, check=True).stdout
    assert len(by_job.splitlines()) == 3 and f"{books['job']}_book.xlsx" in by_job
    r = subprocess.run([FEEDS, "errors", "999999999"], capture_output=True, text=True)
    assert r.returncode == 2 and "does not exist" in r.stderr

    # the same content again: a duplicate, archived as such, the run succeeds
    (people["inbox"] / f"{p}_good_again.csv").write_bytes(csv_bytes())
    run2, rc2 = runner.run(settle=0.2, report_dir=tmp_path / "reports", echo=io.StringIO())
    assert rc2 == 0
    assert statuses(etl, run2) == {f"{p}_good_again.csv": "duplicate"}
    assert any(z.name.endswith(f"{p}_good_again.csv.duplicate.zip") for z in people["archive"].iterdir())
    assert etl.execute(sql.SQL("SELECT count(*) FROM {}").format(
        sql.Identifier(*people["table"].split(".")))).fetchone()[0] == 3


def test_log_lines_fall_back_to_a_file_and_replay_once(shim_env, etl, monkeypatch):
    run = str(uuid.uuid4())
    monkeypatch.setenv("FEEDS_DSN", "host=127.0.0.1 port=1 connect_timeout=2")  # nothing listens there
    log = dbm.RunLog("pytest", run)
    for i in range(3):
        log.log(f"line {i}", level="warning" if i == 1 else "info")
    monkeypatch.delenv("FEEDS_DSN")
    [fallback] = (shim_env / "logs").glob("feeds_fallback_*.csv")
    assert oct(fallback.stat().st_mode & 0o777) == "0o660"
    with open(fallback, newline="") as f:
        written = list(csv.DictReader(f))
    assert [r["message"] for r in written] == ["line 0", "line 1", "line 2"]
    for expect in ("replayed 3 new log line(s); 0 were already", "replayed 0 new log line(s); 3 were already"):
        r = subprocess.run([FEEDS, "logs", "replay", "--dir", str(shim_env / "logs")], capture_output=True, text=True)
        assert r.returncode == 0 and expect in r.stdout, r.stderr
    # a line cut short by a crash is skipped and reported; the others are already in
    with open(fallback, "a") as f:
        f.write(f"{uuid.uuid4()},2026-11-23T03:00:00+00:00,{run},pyt")
    r = subprocess.run([FEEDS, "logs", "replay", "--dir", str(shim_env / "logs")], capture_output=True, text=True)
    assert r.returncode == 1 and "malformed line skipped" in r.stderr and "1 could not be replayed" in r.stdout
    assert "replayed 0 new log line(s); 3 were already" in r.stdout
    # the next fallback line starts on a line of its own
    monkeypatch.setenv("FEEDS_DSN", "host=127.0.0.1 port=1 connect_timeout=2")
    log.log("after the cut")
    monkeypatch.delenv("FEEDS_DSN")
    r = subprocess.run([FEEDS, "logs", "replay", "--dir", str(shim_env / "logs")], capture_output=True, text=True)
    assert "replayed 1 new log line(s); 3 were already" in r.stdout and "1 could not be replayed" in r.stdout
    rows = etl.execute("SELECT message, level, replayed, logged_at FROM dba.tlogentry WHERE run_uuid = %s"
                       " ORDER BY step_counter", (run,)).fetchall()
    assert [r[:3] for r in rows] == [("line 0", "info", True), ("line 1", "warning", True), ("line 2", "info", True),
                                     ("after the cut", "info", True)]
    assert [r[3].isoformat() for r in rows[:3]] == [w["logged_at"] for w in written]


ECHO = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d[+-]\d\d:\d\d (debug|info|warning|error)\s+(\w+): (.*)$")


def test_an_echoed_line_carries_its_utc_offset(shim_env):
    """The console/cron line's timestamp says its zone: read back, it is the moment it was written."""
    import datetime as dt
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/Mexico_City"  # UTC-6 all year
    time.tzset()
    try:
        stream = io.StringIO()
        log = dbm.RunLog("pytest", echo=stream)
        before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        log.log("zoned")
        log.close()
        m = ECHO.match(stream.getvalue().splitlines()[0])
        assert m and m.group(3) == "zoned", stream.getvalue()
        when = dt.datetime.fromisoformat(stream.getvalue()[:25])
        assert when.utcoffset() == dt.timedelta(hours=-6)
        assert before <= when <= dt.datetime.now(dt.timezone.utc)
    finally:
        if old is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = old
        time.tzset()


@pytest.mark.timeout(240)
@pytest.mark.parametrize("stop_after", ["started", "import"])
def test_a_database_outage_mid_run_loses_no_file_and_no_log_line(shim_env, make_job, dsn, pgcluster, stop_after):
    """Stop the server in the middle of `feeds run` (while the watcher waits for files to settle,
    or inside run_import), start it again: every file is loaded exactly once, every file is
    archived, every log line the run wrote reaches dba.tlogentry after `feeds logs replay`."""
    job = make_job()
    names = [f"{job['job']}_{i}.csv" for i in range(4)]
    for i, n in enumerate(names):
        (job["inbox"] / n).write_bytes(csv_bytes([(str(10 * i + k), f"n{k}", f"p{k}@example.com") for k in range(3)]))
    env = dict(os.environ, FEEDS_DB_RETRIES="15", FEEDS_DB_BACKOFF="0.3", FEEDS_DB_BACKOFF_MAX="2")
    proc = subprocess.Popen([FEEDS, "run", "--settle", "3", "--report-dir", str(shim_env / "reports")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    echoed = []
    try:
        if stop_after == "import":
            with import_held(dsn, job) as wait_blocked:
                wait_blocked(proc)
                pgcluster("stop")
        else:  # the watcher waits 3 s for the files to settle after this line
            for line in proc.stderr:
                echoed.append(line.rstrip("\n"))
                if (m := ECHO.match(echoed[-1])) and m.group(3).startswith("run "):
                    break
            pgcluster("stop")
        time.sleep(2)
        pgcluster("start")
        rest, out = proc.stderr.read(), proc.stdout.read()
        echoed += rest.splitlines()
        proc.wait(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
    text = "\n".join(echoed)
    assert proc.returncode == 0, text + out
    etl = psycopg.connect(dsn + " user=feeds_etl", autocommit=True)  # a connection made after the outage
    # every file loaded exactly once, and archived
    rows = etl.execute("SELECT file_name, status, count(*) FROM dba.tdataloads WHERE job_name = %s"
                       " GROUP BY 1, 2 ORDER BY 1", (job["job"],)).fetchall()
    assert rows == [(n, "loaded", 1) for n in names], text
    assert etl.execute(sql.SQL("SELECT count(*), count(DISTINCT id) FROM {}").format(
        sql.Identifier(*job["table"].split(".")))).fetchone() == (12, 12)
    assert list(job["inbox"].iterdir()) == [job["inbox"] / ".feeds-watch.lock"]
    assert list(job["processing"].iterdir()) == [] and len(list(job["archive"].iterdir())) == 4
    # every log line the run echoed is in the table once the fallback file is replayed
    run = re.search(r"run ([0-9a-f-]{36}) started", text).group(1)
    r = subprocess.run([FEEDS, "logs", "replay", "--dir", str(shim_env / "logs")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    in_table = [m for (m,) in etl.execute("SELECT message FROM dba.tlogentry WHERE run_uuid = %s", (run,))]
    lines = [ECHO.match(line).group(3) for line in echoed if ECHO.match(line)]
    assert lines and [m for m in lines if m not in in_table] == []
    fallback_used = any((shim_env / "logs").glob("feeds_fallback_*.csv"))
    retried = "retrying" in text or fallback_used
    assert retried, "the outage did not hit the run:\n" + text
    if fallback_used:  # the run put its own fallback lines into the table before it ended
        assert re.search(r"fallback log: [1-9]\d* line\(s\) replayed", text), text
        assert "replayed 0 new log line(s)" in r.stdout


def test_the_cron_wrapper_appends_to_a_dated_log_and_keeps_the_exit_code(shim_env):
    env = dict(os.environ, FEEDS_LOG_DIR=str(shim_env / "cronlogs"), FEEDS_ENV_FILE=str(shim_env / "none.env"))
    wrapper = str(ROOT / "bin/run_python_etl_script.sh")
    ok = subprocess.run([wrapper, "status", "--limit", "1"], capture_output=True, text=True, env=env)
    bad = subprocess.run([wrapper, "errors", "999999999"], capture_output=True, text=True, env=env)
    assert (ok.returncode, bad.returncode) == (0, 2)
    assert ok.stdout == bad.stdout == ""  # everything went to the log
    day = time.strftime("%Y%m%d")
    status_log = shim_env / "cronlogs" / f"feeds_status_{day}.log"
    errors_log = shim_env / "cronlogs" / f"feeds_errors_{day}.log"
    assert oct(status_log.stat().st_mode & 0o777) == "0o660"
    text = errors_log.read_text()
    assert "feeds errors 999999999 (pid" in text and "load 999999999 does not exist" in text and "exit 2" in text
    # settings come from the env file
    (shim_env / "feeds.env").write_text("PGUSER=no_such_role\n")
    os.chmod(shim_env / "feeds.env", 0o600)  # the env-file rule (shims/config.py), now applied by the wrapper too
    env["FEEDS_ENV_FILE"] = str(shim_env / "feeds.env")
    r = subprocess.run([wrapper, "status"], capture_output=True, text=True, env=env)
    assert r.returncode == 1 and "no_such_role" in status_log.read_text()


def test_moving_again_after_a_crash_between_move_and_mark_moved(shim_env, make_job, etl):
    """The runner died after archiving a load but before dba.mark_moved: the next pass finds the
    archive, records it, and archives nothing twice."""
    job = make_job()
    name = f"{job['job']}_1.csv"
    (job["inbox"] / name).write_bytes(csv_bytes())
    db = dbm.Db()
    log = dbm.RunLog("runner", str(db.one("SELECT dba.start_run('pytest')")[0]))
    try:
        from shims import file_watcher
        file_watcher.watch_once(db, log, settle=0.1, inboxes=[str(job["inbox"])])
        runner.run_import(db, log, log.run_uuid)
        [(load_id, from_path, to_dir, to_name)] = db.call(
            "SELECT load_id, from_path, to_dir, to_name FROM dba.files_to_move(%s)", (log.run_uuid,))
        # what the crashed runner had done (a day earlier): the zip written, the source removed,
        # nothing recorded
        to_name = f"20260102-{to_name.split('-', 1)[1]}"
        where = runner._archive(load_id, [runner.Path(from_path)], runner.Path(from_path),
                                runner.Path(to_dir), to_name)
        assert not os.path.exists(from_path)
        moved = runner.move_files(db, log, log.run_uuid)
    finally:
        db.close()
        log.close()
    assert moved == [(load_id, "loaded", str(where))]
    assert [p.name for p in job["archive"].iterdir()] == [f"20260102-{load_id}-{name}.zip"]
    assert etl.execute("SELECT file_location FROM dba.tdataloads WHERE load_id = %s", (load_id,)).fetchone()[0] == str(where)


def test_files_a_dba_imported_in_psql_are_archived_by_the_next_run(shim_env, make_job, etl, tmp_path):
    job = make_job()
    name = f"{job['job']}_psql.csv"
    (job["inbox"] / name).write_bytes(csv_bytes())
    db = dbm.Db()
    log = dbm.RunLog("file_watcher", str(db.one("SELECT dba.start_run('file_watcher')")[0]))
    try:
        from shims import file_watcher
        file_watcher.watch_once(db, log, settle=0.1, inboxes=[str(job["inbox"])])
    finally:
        db.close()
        log.close()
    # a DBA in psql: SELECT * FROM dba.run_import();  (its own run, never "finished")
    assert etl.execute("SELECT status FROM dba.run_import(p_job => %s)", (job["job"],)).fetchall() == [("loaded",)]
    assert (job["processing"] / name).exists()
    run, rc = runner.run(settle=0.1, report_dir=tmp_path / "reports", echo=io.StringIO())
    assert rc == 0
    assert list(job["processing"].iterdir()) == []
    [z] = job["archive"].iterdir()
    assert z.name.endswith(f"-{name}.zip")
    # and a second runner at the same time does nothing
    import fcntl
    with open(shim_env / "state" / "runner.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        r = subprocess.run([FEEDS, "run"], capture_output=True, text=True)
    assert r.returncode == 1 and "another feeds run" in r.stderr


def test_the_demo_runs_twice_harmlessly(shim_env, dsn, workdir):
    """bin/demo-run (the end of `make demo`) against the test cluster, twice."""
    demo_dir = workdir / "demo"  # where the server can read
    env = dict(os.environ, FEEDS_DEMO_DIR=str(demo_dir), PGUSER="postgres")
    try:
        first = subprocess.run([str(ROOT / "bin/demo-run")], capture_output=True, text=True, env=env, timeout=180)
        assert first.returncode == 0, first.stdout + first.stderr
        for name, status in [("customers_20261102.csv", "loaded"), ("customers_20261109.csv", "loaded_with_rejects"),
                             ("orders_20261102.xlsx", "loaded"), ("orders_legacy_20261102.xls", "loaded"),
                             ("companies_20261102.xls", "loaded")]:
            assert re.search(rf"{re.escape(name)}\s+demo_\w+\s+{status}\s", first.stdout), first.stdout
        assert "notes_from_client.txt: no enabled job matches this name" in first.stdout
        assert (demo_dir / "inbox" / "notes_from_client.txt").exists()
        if (ROOT / "shims/send_mail.py").exists():  # the mailer saves the report when no SMTP is configured
            assert "demo: the run's report was saved" in first.stdout
            assert any(p.suffix == ".html" for p in (demo_dir / "reports").iterdir())
        second = subprocess.run([str(ROOT / "bin/demo-run")], capture_output=True, text=True, env=env, timeout=180)
        assert second.returncode == 0, second.stdout + second.stderr
        assert "5 file(s) had been loaded before (same content)" in second.stdout
        with psycopg.connect(dsn + " user=postgres") as conn:
            assert conn.execute("SELECT count(*) FROM demo.customers").fetchone()[0] == 6
            assert conn.execute("SELECT count(*) FROM demo.orders").fetchone()[0] == 5
            assert conn.execute("SELECT name FROM demo.customers WHERE customer_id = 2").fetchone()[0] == "Grace B. Hopper"
    finally:
        with psycopg.connect(dsn + " user=postgres", autocommit=True) as conn:
            conn.execute("UPDATE dba.timportconfig SET enabled = false WHERE job_name LIKE 'demo\\_%'")


@pytest.mark.timeout(240)
def test_an_outage_longer_than_the_retries_stops_the_run_and_the_next_run_finishes(shim_env, make_job, dsn, pgcluster):
    """The outage lands inside dba.run_import, deterministically: the test holds a lock on the
    job's target table, waits until the runner's import is blocked on it (pg_locks says so), and
    only then stops the server. The files are registered and waiting, nothing is imported."""
    job = make_job()
    names = [f"{job['job']}_{i}.csv" for i in range(3)]
    for i, n in enumerate(names):
        (job["inbox"] / n).write_bytes(csv_bytes([(str(i), "n", "p@example.com")]))
    env = dict(os.environ, FEEDS_DB_RETRIES="2", FEEDS_DB_BACKOFF="0.1", FEEDS_DB_BACKOFF_MAX="0.2")
    with import_held(dsn, job) as wait_blocked:
        proc = subprocess.Popen([FEEDS, "run", "--settle", "0.2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, env=env)
        try:
            wait_blocked(proc)
            pgcluster("stop")
            rest = proc.stderr.read()
            proc.wait(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
            pgcluster("start")
    assert proc.returncode == 1 and "database unreachable, run stopped" in rest, rest
    assert sorted(p.name for p in job["processing"].iterdir()) == names  # registered, waiting
    r = subprocess.run([FEEDS, "run", "--settle", "0.2"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    with psycopg.connect(dsn + " user=feeds_etl", autocommit=True) as etl:
        rows = etl.execute("SELECT file_name, status, count(*) FROM dba.tdataloads WHERE job_name = %s"
                           " GROUP BY 1, 2 ORDER BY 1", (job["job"],)).fetchall()
        assert rows == [(n, "loaded", 1) for n in names]
        assert etl.execute(sql.SQL("SELECT count(*) FROM {}").format(
            sql.Identifier(*job["table"].split(".")))).fetchone()[0] == 3
    assert list(job["processing"].iterdir()) == [] and len(list(job["archive"].iterdir())) == 3


def test_everything_a_run_creates_is_0660_and_2770_group_etl_group(shim_env, make_job, tmp_path, monkeypatch):
    job = make_job(email_rule=True)
    (job["inbox"] / f"{job['job']}_1.csv").write_bytes(csv_bytes([("1", "a", "not-an-address")]))
    monkeypatch.setenv("FEEDS_REPORT_TO", "admin@example.com")
    reports = tmp_path / "reports"
    run, rc = runner.run(settle=0.1, report_dir=reports, echo=io.StringIO())
    assert rc == 0
    gid = runner.fsutil.group_id()
    group = gid if gid is not None and (os.geteuid() == 0 or gid in os.getgroups()) else os.getegid()
    made = {"runner.lock": shim_env / "state" / "runner.lock", "log dir": shim_env / "logs", "report dir": reports,
            **{f"report {p.name}": p for p in reports.iterdir()},
            **{f"archive {p.name}": p for p in job["archive"].iterdir()}}
    assert any(k.startswith("report ") for k in made) and any(k.startswith("archive ") for k in made)
    for what, p in made.items():
        st = os.stat(p)
        want = 0o2770 if p.is_dir() else 0o660
        assert (what, oct(stat.S_IMODE(st.st_mode)), st.st_gid) == (what, oct(want), group)
