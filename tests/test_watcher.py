"""The file watcher against the real cluster: complete and incomplete files, partial-upload names,
the same content twice, files no job takes, Excel conversion, the inbox lock."""
import fcntl
import hashlib
import json
import os
import shutil
import stat
import subprocess
import time
import uuid
from pathlib import Path

import openpyxl
import psycopg
import pytest
from hypothesis import given, settings
from hypothesis import strategies as hst
from psycopg import sql

from conftest import ROOT
from shims import db as dbm
from shims import file_watcher as fw
from shims import fsutil


@pytest.fixture
def shim_env(monkeypatch, tmp_path):
    """The shims connect as feeds_etl (what cron uses), keep state and fallback logs in tmp."""
    monkeypatch.setenv("PGUSER", "feeds_etl")
    monkeypatch.setenv("FEEDS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("FEEDS_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("FEEDS_DB_BACKOFF", "0.2")
    return tmp_path


@pytest.fixture
def make_job(dsn, workdir):
    """make_job(file_type='csv', pattern=None, columns=…) -> dict with job name, dirs and a file
    name prefix no other test's job matches. Jobs are disabled afterwards so that later runs
    leave their files alone."""
    made = []

    def make(file_type="csv", sheet=None, email_rule=False, inbox=None):
        with psycopg.connect(dsn + " user=postgres", autocommit=True) as admin:
            return _make(admin, file_type, sheet, email_rule, inbox)

    def _make(admin, file_type, sheet, email_rule, inbox):
        tag = "j" + uuid.uuid4().hex[:10]
        base = workdir / tag
        dirs = {k: base / k for k in ("inbox", "processing", "archive", "failed")}
        if inbox is not None:
            dirs["inbox"] = inbox / tag
        for d in dirs.values():
            d.mkdir(parents=True, mode=0o2770)
        ext = {"csv": r"\.csv", "xlsx": r"\.xlsx", "xls": r"\.xls", "xlsb": r"\.xlsb", "ods": r"\.ods"}[file_type]
        admin.execute("CREATE SCHEMA IF NOT EXISTS feeds_pytest AUTHORIZATION feeds_owner")
        table = sql.Identifier("feeds_pytest", tag)
        admin.execute(sql.SQL("CREATE TABLE {} (id integer, name text, email text, load_id bigint)").format(table))
        admin.execute(sql.SQL("ALTER TABLE {} OWNER TO feeds_owner").format(table))
        admin.execute("GRANT USAGE ON SCHEMA feeds_pytest TO feeds_etl")
        admin.execute(sql.SQL("GRANT SELECT ON {} TO feeds_etl").format(table))
        column_map = [{"source": "id", "target": "id", "type": "integer", "required": True},
                      {"source": "name", "target": "name"},
                      {"source": "email", "target": "email", **({"rules": {"email": True}} if email_rule else {})}]
        admin.execute(
            "INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,"
            " file_type, sheet_name, target_table, column_map)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (tag, rf"^{tag}_.*{ext}$", str(dirs["inbox"]), str(dirs["processing"]), str(dirs["archive"]),
             str(dirs["failed"]), file_type, sheet, f"feeds_pytest.{tag}", json.dumps(column_map)))
        made.append(tag)
        return {"job": tag, "table": f"feeds_pytest.{tag}", **dirs}

    yield make
    # a fresh connection: an outage test may have restarted the server
    with psycopg.connect(dsn + " user=postgres", autocommit=True) as admin:
        for tag in made:
            admin.execute("UPDATE dba.timportconfig SET enabled = false WHERE job_name = %s", (tag,))


def csv_bytes(rows=(("1", "Ann", "ann@example.com"), ("2", "Bob", "bob@example.com"))):
    return ("id,name,email\r\n" + "".join(",".join(r) + "\r\n" for r in rows)).encode()


def from_table(query: str, job) -> sql.Composed:
    """query with the job's target table (schema.table) for {}, quoted as identifiers."""
    return sql.SQL(query).format(sql.Identifier(*job["table"].split(".")))


def new_run():
    db = dbm.Db()
    try:
        return str(db.one("SELECT dba.start_run('pytest')")[0])
    finally:
        db.close()


def watch(job, log=None, **kw):
    db = dbm.Db()
    log = log or dbm.RunLog("file_watcher", new_run())
    try:
        return fw.watch_once(db, log, inboxes=[str(job["inbox"])], **{"settle": 0.2, **kw})
    finally:
        db.close()
        log.close()


def loads(etl, job):
    return etl.execute("SELECT file_name, status, sha256, file_size, file_path FROM dba.tdataloads"
                       " WHERE job_name = %s ORDER BY load_id", (job["job"],)).fetchall()


def test_a_complete_file_is_moved_and_registered(shim_env, make_job, etl):
    job = make_job()
    name = f"{job['job']}_1.csv"
    data = csv_bytes()
    (job["inbox"] / name).write_bytes(data)
    [o] = watch(job)
    assert (o.action, o.name, o.job) == ("registered", name, job["job"]), o.detail
    assert not (job["inbox"] / name).exists()
    moved = job["processing"] / name
    assert moved.read_bytes() == data
    st = os.stat(moved)
    assert stat.S_IMODE(st.st_mode) == 0o660
    gid = fw.fsutil.group_id()
    # etl_group when this user may give files to it (root or a member), else the user's own group
    usable = gid is not None and (os.geteuid() == 0 or gid in os.getgroups())
    assert st.st_gid == (gid if usable else os.getegid())
    assert loads(etl, job) == [(name, "pending", hashlib.sha256(data).hexdigest(), len(data), str(moved))]
    # and the engine loads it
    rows = etl.execute("SELECT status, rows_inserted FROM dba.run_import(p_job => %s)", (job["job"],)).fetchall()
    assert rows == [("loaded", 2)]


def test_an_excel_file_is_converted_next_to_the_original(shim_env, make_job, etl):
    job = make_job("xlsx")
    name = f"{job['job']}_list.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["id", "name", "email"])
    wb.active.append([7, "Zoë", "zoe@example.com"])
    wb.save(job["inbox"] / name)
    [o] = watch(job)
    assert o.action == "registered"
    csv_path = job["processing"] / (name + ".csv")
    assert (job["processing"] / name).exists()
    assert csv_path.read_bytes().decode() == "id,name,email\r\n7,Zoë,zoe@example.com\r\n"
    [(fname, status, sha, size, path)] = loads(etl, job)
    assert (fname, status, path) == (name, "pending", str(csv_path))
    assert sha == hashlib.sha256(csv_path.read_bytes()).hexdigest()
    rows = etl.execute("SELECT status, rows_inserted FROM dba.run_import(p_job => %s)", (job["job"],)).fetchall()
    assert rows == [("loaded", 1)]
    assert etl.execute(from_table("SELECT id, name FROM {}", job)).fetchall() == [(7, "Zoë")]


def test_a_file_still_being_written_waits_for_the_next_pass(shim_env, make_job, etl):
    """A writer that keeps its file open is seen (/proc), however long it pauses; once it closes
    the file the next pass takes it."""
    job = make_job()
    name = f"{job['job']}_slow.csv"
    path = job["inbox"] / name
    with open(path, "wb") as f:
        f.write(b"id,name,email\r\n1,a,a@example.com\r\n")
        f.flush()
        [o] = watch(job, settle=0.2)  # size and mtime hold still across the settle time
        assert (o.action, o.detail.startswith("open for writing by process")) == ("unstable", True), o
        f.write(b"2,b,b@example.com\r\n")
    assert path.exists() and loads(etl, job) == []
    [o] = watch(job)
    assert o.action == "registered"
    assert not path.exists()
    assert [r[3] for r in loads(etl, job)] == [len(b"id,name,email\r\n1,a,a@example.com\r\n2,b,b@example.com\r\n")]


def test_partial_upload_names_and_dot_files_are_ignored(shim_env, make_job, etl):
    job = make_job()
    names = [f"{job['job']}_a.csv.part", f"{job['job']}_b.csv.tmp", f"{job['job']}_c.csv.filepart",
             f"~${job['job']}_d.csv", f".{job['job']}_e.csv"]
    for n in names:
        (job["inbox"] / n).write_bytes(csv_bytes())
    assert watch(job) == []
    assert all((job["inbox"] / n).exists() for n in names)
    assert loads(etl, job) == []


def test_links_are_refused_unread_and_the_targets_left_alone(shim_env, make_job, etl, tmp_path):
    job = make_job()
    victim = tmp_path / "victim.csv"
    victim.write_bytes(csv_bytes())
    os.chmod(victim, 0o600)
    before = os.stat(victim)
    os.symlink(victim, job["inbox"] / f"{job['job']}_sym.csv")
    os.link(victim, job["inbox"] / f"{job['job']}_hard.csv")
    out = sorted((o.name, o.action) for o in watch(job))
    assert out == [(f"{job['job']}_hard.csv", "refused"), (f"{job['job']}_sym.csv", "refused")]
    rows = etl.execute("SELECT file_name, status, error_sqlstate, error_message, sha256 FROM dba.tdataloads"
                       " WHERE job_name = %s ORDER BY file_name", (job["job"],)).fetchall()
    assert [(r[0], r[1], r[2], r[4]) for r in rows] == [(f"{job['job']}_hard.csv", "failed", "FD013", None),
                                                       (f"{job['job']}_sym.csv", "failed", "FD013", None)]
    assert "2 hard links" in rows[0][3] and "symbolic link" in rows[1][3]
    after = os.stat(victim)
    assert (stat.S_IMODE(after.st_mode), after.st_gid, after.st_atime_ns) == \
        (0o600, before.st_gid, before.st_atime_ns)
    assert list(job["processing"].iterdir()) == []


def test_the_same_content_twice(shim_env, make_job, etl):
    job = make_job()
    first, second = f"{job['job']}_1.csv", f"{job['job']}_copy.csv"
    (job["inbox"] / first).write_bytes(csv_bytes())
    assert [o.action for o in watch(job)] == ["registered"]
    # the same content under another name: a duplicate, registered as such, never loaded
    (job["inbox"] / second).write_bytes(csv_bytes())
    [o] = watch(job)
    assert o.action == "duplicate"
    # the same name again while the first is still waiting in processing: left in the inbox
    (job["inbox"] / first).write_bytes(csv_bytes())
    [o] = watch(job)
    assert o.action == "in_processing" and (job["inbox"] / first).exists()
    statuses = [r[:2] for r in loads(etl, job)]
    assert statuses == [(first, "pending"), (second, "duplicate")]
    rows = etl.execute("SELECT file_name, status FROM dba.run_import(p_job => %s)", (job["job"],)).fetchall()
    assert rows == [(first, "loaded")]
    assert etl.execute(from_table("SELECT count(*) FROM {}", job)).fetchone()[0] == 2


def test_a_file_of_another_jobs_inbox_stays_and_a_symlinked_inbox_is_the_jobs(shim_env, make_job, etl, tmp_path):
    """dba.inbox_takes decides: a file in job A's inbox that job B takes stays there; the same
    file reached through a symlink to B's inbox (its real path) is B's and is registered."""
    a, b = make_job(), make_job()
    name = f"{b['job']}_1.csv"
    (a["inbox"] / name).write_bytes(csv_bytes())
    [o] = watch(a)
    assert (o.action, o.job) == ("other_inbox", b["job"]) and (a["inbox"] / name).exists()
    link = tmp_path / "link_to_b"
    link.symlink_to(b["inbox"])
    (a["inbox"] / name).rename(b["inbox"] / name)
    [o] = watch({"inbox": link})
    assert (o.action, o.job) == ("registered", b["job"]), o.detail
    assert [r[:2] for r in loads(etl, b)] == [(name, "pending")]


def test_a_file_no_job_takes_stays_and_is_reported_once(shim_env, make_job, etl):
    job = make_job()
    name = f"nobody_wants_{uuid.uuid4().hex[:6]}.pdf"
    path = job["inbox"] / name
    path.write_bytes(b"%PDF-1.4 not for us")
    log = dbm.RunLog("file_watcher", new_run())
    for _ in range(3):
        [o] = watch(job, log=dbm.RunLog("file_watcher", log.run_uuid))
        assert o.action == "no_job"
    assert path.exists()
    msgs = [r[0] for r in etl.execute("SELECT message FROM dba.tlogentry WHERE run_uuid = %s"
                                      " AND process_type = 'file_watcher'", (log.run_uuid,))]
    assert msgs == [f"{path}: no enabled job matches this name; left in the inbox"]
    # a changed file (another size) is reported again
    path.write_bytes(b"%PDF-1.4 changed")
    watch(job, log=dbm.RunLog("file_watcher", log.run_uuid))
    assert etl.execute("SELECT count(*) FROM dba.tlogentry WHERE run_uuid = %s AND process_type = 'file_watcher'",
                       (log.run_uuid,)).fetchone()[0] == 2


def test_an_excel_file_that_cannot_be_converted_is_recorded_as_failed_with_its_reason(shim_env, make_job, etl):
    job = make_job("xlsx")
    name = f"{job['job']}_broken.xlsx"
    (job["inbox"] / name).write_bytes(b"%PDF-1.4 posing as a workbook")
    log = dbm.RunLog("file_watcher", new_run())
    [o] = watch(job, log=log)
    assert o.action == "convert_failed" and o.failed
    assert "looks like a PDF document" in o.detail
    assert (job["inbox"] / name).exists() and list(job["processing"].iterdir()) == []
    [(level, msg)] = etl.execute("SELECT level, message FROM dba.tlogentry WHERE run_uuid = %s"
                                 " AND process_type = 'file_watcher'", (log.run_uuid,)).fetchall()
    assert level == "error" and "cannot convert" in msg and "PDF" in msg
    # The database keeps it as a failed load with its reason, and tells the runner where it goes.
    [(load_id, status, state, message)] = etl.execute(
        "SELECT load_id, status, error_sqlstate, error_message FROM dba.tdataloads WHERE job_name = %s",
        (job["job"],)).fetchall()
    assert (o.load_id, status, state) == (load_id, "failed", "FD013") and "looks like a PDF document" in message
    [(from_path, to_dir, reason)] = etl.execute(
        "SELECT from_path, to_dir, reason FROM dba.files_to_move(NULL) WHERE load_id = %s", (load_id,)).fetchall()
    assert from_path == str(job["inbox"] / name) and to_dir.endswith("failed") and "PDF" in reason
    # A second look at the same file records nothing new.
    watch(job, log=dbm.RunLog("file_watcher", log.run_uuid))
    assert etl.execute("SELECT count(*) FROM dba.tdataloads WHERE job_name = %s", (job["job"],)).fetchone()[0] == 1


def test_a_second_watcher_leaves_a_locked_inbox_alone(shim_env, make_job, etl):
    job = make_job()
    name = f"{job['job']}_1.csv"
    (job["inbox"] / name).write_bytes(csv_bytes())
    with open(job["inbox"] / fw.LOCK_NAME, "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        [o] = watch(job)
        assert o.action == "locked"
        assert (job["inbox"] / name).exists()
    [o] = watch(job)
    assert o.action == "registered"


def test_feeds_watch_once_command(shim_env, make_job, etl):
    job = make_job()
    name = f"{job['job']}_cli.csv"
    (job["inbox"] / name).write_bytes(csv_bytes())
    env = dict(os.environ, FEEDS_WATCH_SETTLE="0.2")
    r = subprocess.run([str(ROOT / "bin/feeds"), "watch", "--once"], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    assert f"moved {name}" in r.stderr
    assert (job["processing"] / name).exists()
    r = subprocess.run([str(ROOT / "bin/feeds"), "watch"], capture_output=True, text=True, env=env)
    assert r.returncode == 2 and "--once" in r.stderr


def test_a_retried_registration_is_not_its_own_duplicate(shim_env, make_job, etl, monkeypatch):
    """If the reply of dba.register_file is lost after it committed, the retry finds the load
    instead of registering the file again. A proxy between the shim and the server drops the
    reply (and the connection) once the call has committed."""
    from pgproxy import LoseReply
    job = make_job()
    name = f"{job['job']}_1.csv"
    data = csv_bytes()
    (job["processing"] / name).write_bytes(data)
    digests = fsutil.digests_file(job["processing"] / name)
    run = etl.execute("SELECT dba.start_run('pytest')").fetchone()[0]
    registered = []  # the load as the lost attempt left it
    lost = lambda: registered.extend(etl.execute(  # noqa: E731
        "SELECT load_id, status, started_at FROM dba.tdataloads WHERE job_name = %s", (job["job"],)).fetchall())
    with LoseReply(b"dba.register_file", shim_env / "proxy", on_lost=lost) as proxy:
        monkeypatch.setenv("PGHOST", str(proxy.dir))
        db = dbm.Db()
        try:
            row = fw.register(db, job["job"], name, digests, str(run))
        finally:
            db.close()
    assert proxy.lost == 1 and len(registered) == 1
    load_id, status, started_at = registered[0]
    assert row == (load_id, "pending", None, False)
    # registered once: the retry did not call dba.register_file again
    assert etl.execute("SELECT load_id, status, started_at FROM dba.tdataloads WHERE job_name = %s",
                       (job["job"],)).fetchall() == [(load_id, "pending", started_at)]


def test_a_file_moved_but_not_registered_goes_back_to_the_inbox(shim_env, make_job, dsn, pgcluster, monkeypatch):
    """The server stops between the watcher's move into processing and dba.register_file: the
    engine reads only registered files, so the file must not wait in processing unread. It goes
    back to the inbox (a workbook's converted CSV is removed) and the next pass registers it."""
    books, people = make_job("xlsx"), make_job()
    xlsx = f"{books['job']}_1.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["id", "name", "email"])
    wb.active.append([7, "Zoë", "zoe@example.com"])
    wb.save(books["inbox"] / xlsx)
    csv_name = f"{people['job']}_1.csv"
    (people["inbox"] / csv_name).write_bytes(csv_bytes())
    monkeypatch.setenv("FEEDS_DB_RETRIES", "0")
    real = fw.register

    def server_gone(*a, **kw):  # the move is done; the server stops before the registration
        pgcluster("stop")
        return real(*a, **kw)
    for job, name in ((books, xlsx), (people, csv_name)):
        monkeypatch.setattr(fw, "register", server_gone)
        db, log = dbm.Db(), dbm.RunLog("file_watcher", new_run())
        try:
            with pytest.raises(psycopg.OperationalError):
                fw.watch_once(db, log, inboxes=[str(job["inbox"])], settle=0.2)
        finally:
            pgcluster("start")
            db.close()
            log.close()
        assert sorted(p.name for p in job["inbox"].iterdir() if not p.name.startswith(".")) == [name]
        assert list(job["processing"].iterdir()) == [], "nothing waits in processing unregistered"
        monkeypatch.setattr(fw, "register", real)
        [o] = watch(job)
        assert o.action == "registered", o.detail
        with psycopg.connect(dsn + " user=feeds_etl") as etl:  # made after the outage
            assert [r[1] for r in loads(etl, job)] == ["pending"]


def _log_lines(etl, like):
    return etl.execute("SELECT count(*) FROM dba.tlogentry WHERE process_type = 'file_watcher' AND message LIKE %s",
                       (like,)).fetchone()[0]


def _until(condition, proc, what, timeout=30):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline and proc.poll() is None, what
        time.sleep(0.05)


@pytest.mark.parametrize("polling", [False, True], ids=["inotify", "polling"])
def test_feeds_watch_follow_keeps_watching_until_stopped(shim_env, make_job, etl, polling):
    job = make_job()
    env = dict(os.environ, FEEDS_WATCH_SETTLE="0.2")
    marker = f"watching %{'polling' if polling else 'inotify'}%"
    before = _log_lines(etl, marker)
    # a long --interval: only an inbox event can make it take the files in time
    proc = subprocess.Popen([str(ROOT / "bin/feeds"), "watch", "--follow", "--interval", "600",
                             *(["--polling"] if polling else [])],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        _until(lambda: _log_lines(etl, marker) > before, proc, "the follower did not start watching")
        for i in range(2):
            (job["inbox"] / f"{job['job']}_{i}.csv").write_bytes(csv_bytes([(str(i), "x", "x@example.com")]))
            _until(lambda: len(loads(etl, job)) >= i + 1, proc, "the follower did not take the file")
        # one more file, and SIGTERM once it has left the inbox (it may be between move and
        # register): it finishes the file
        last = job["inbox"] / f"{job['job']}_2.csv"
        last.write_bytes(csv_bytes([("2", "x", "x@example.com")]))
        _until(lambda: not last.exists(), proc, "the follower did not take the last file")
    finally:
        proc.terminate()  # SIGTERM: the pass at hand is finished, then the run
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "stopped" in err
    # every file taken from the inbox is registered: none stranded between move and register
    taken = [p.name for p in job["processing"].iterdir()]
    assert sorted(r[0] for r in loads(etl, job)) == sorted(taken) and len(taken) == 3
    run = etl.execute("SELECT run_uuid, finished_at IS NOT NULL FROM dba.trun WHERE process_type = 'file_watcher'"
                      " ORDER BY started_at DESC LIMIT 1").fetchone()
    assert run[1], "the watcher's run was not finished"


@pytest.mark.skipif(not os.path.isdir("/dev/shm") or os.stat("/dev/shm").st_dev == os.stat(
    os.environ.get("FEEDS_TEST_DIR", "/tmp")).st_dev, reason="needs /dev/shm on another filesystem")
def test_a_move_across_filesystems_is_copy_fsync_rename(shim_env, make_job, etl):
    job = make_job(inbox=Path("/dev/shm") / f"feeds-{uuid.uuid4().hex[:8]}")
    try:
        name = f"{job['job']}_far.csv"
        data = csv_bytes()
        (job["inbox"] / name).write_bytes(data)
        [o] = watch(job)
        assert o.action == "registered"
        assert not (job["inbox"] / name).exists()
        assert [p.name for p in job["inbox"].iterdir()] == [fw.LOCK_NAME]  # no temporary file left
        moved = job["processing"] / name
        assert moved.read_bytes() == data and stat.S_IMODE(moved.stat().st_mode) == 0o660
        assert loads(etl, job)[0][2] == hashlib.sha256(data).hexdigest()
    finally:
        shutil.rmtree(job["inbox"].parent, ignore_errors=True)


def test_an_inbox_the_watcher_cannot_read_does_not_stop_the_others(shim_env, make_job, etl, tmp_path):
    good = make_job()
    (good["inbox"] / f"{good['job']}_1.csv").write_bytes(csv_bytes())
    blocked = tmp_path / "blocked"
    blocked.mkdir()
    (blocked / "inbox").write_text("a file where a directory should be")
    db = dbm.Db()
    log = dbm.RunLog("file_watcher", new_run())
    try:
        outcomes = fw.watch_once(db, log, settle=0.1, inboxes=[str(blocked / "inbox"), str(good["inbox"])])
    finally:
        db.close()
        log.close()
    assert [o.action for o in outcomes] == ["error", "registered"]


def test_a_name_two_jobs_claim_is_reported_and_the_other_files_go_on(shim_env, make_job, etl, admin):
    # FD002 is the engine refusing to guess, not an outage: that file waits, the next one moves.
    job = make_job()
    rival = make_job()
    admin.execute("UPDATE dba.timportconfig SET file_pattern = %s WHERE job_name = %s",
                  (rf"^({job['job']}|{rival['job']})_tie\.csv$", rival["job"]))
    (job["inbox"] / f"{job['job']}_tie.csv").write_bytes(csv_bytes())
    (job["inbox"] / f"{job['job']}_2.csv").write_bytes(csv_bytes())
    outcomes = {o.name: o for o in watch(job)}
    tie = outcomes[f"{job['job']}_tie.csv"]
    assert tie.action == "error" and "[FD002]" in tie.detail and rival["job"] in tie.detail
    assert outcomes[f"{job['job']}_2.csv"].action == "registered"
    assert (job["inbox"] / f"{job['job']}_tie.csv").exists()


def test_an_excel_cell_with_a_line_break_loads_whole(shim_env, make_job, etl):
    job = make_job("xlsx")
    name = f"{job['job']}_addresses.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["id", "name", "email"])
    wb.active.append([1, "Ann\nSecond line", "ann@example.com"])
    wb.active.append([2, "Bob", "bob@example.com"])
    wb.save(job["inbox"] / name)
    [o] = watch(job)
    assert o.action == "registered"
    rows = etl.execute("SELECT status, rows_read, rows_inserted, message FROM dba.run_import(p_job => %s)", (job["job"],)).fetchall()
    assert [r[:3] for r in rows] == [("loaded", 2, 2)], rows
    assert etl.execute(from_table("SELECT id, name FROM {} ORDER BY id", job)).fetchall() == [
        (1, "Ann\nSecond line"), (2, "Bob")]


@pytest.mark.parametrize("limit, value", [("FEEDS_CONVERT_MEMORY_MB", "20"), ("FEEDS_CONVERT_MAX_SECONDS", "0.001")])
def test_a_conversion_past_its_limit_fails_with_a_reason_naming_the_limit(shim_env, make_job, etl, monkeypatch,
                                                                         limit, value):
    """A workbook whose one cell holds 60 MB of text (60 kB on disk) needs more memory than 20 MB;
    no conversion is done in a millisecond."""
    import io
    import zipfile
    monkeypatch.setenv(limit, value)
    job = make_job("xlsx")
    name = f"{job['job']}_big.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["id", "name", "email"])
    wb.active.append([1, "PLACEHOLDER", "a@example.com"])
    plain = io.BytesIO()
    wb.save(plain)
    src, out = zipfile.ZipFile(plain), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            z.writestr(info, src.read(info).replace(b"PLACEHOLDER", b"x" * 60_000_000))
    (job["inbox"] / name).write_bytes(out.getvalue())
    [o] = watch(job)
    assert o.action == "convert_failed" and limit in o.detail, o
    [(status, message)] = etl.execute("SELECT status, error_message FROM dba.tdataloads WHERE job_name = %s",
                                      (job["job"],)).fetchall()
    assert status == "failed" and limit in message
    assert list(job["processing"].iterdir()) == []  # no half-written CSV, no temporary file


def chunk_digest(data: bytes, size: int) -> str:
    """The chunk digest as dba.tdataloads.chunk_sha256 defines it, written out on its own."""
    return hashlib.sha256(b"".join(hashlib.sha256(data[i:i + size]).digest()
                                   for i in range(0, len(data), size))).hexdigest()


@settings(max_examples=200, deadline=None)
@given(hst.binary(max_size=300), hst.integers(1, 40), hst.lists(hst.integers(0, 300), max_size=8))
def test_the_chunk_digest_is_the_same_whatever_pieces_the_file_is_read_in(data, size, cuts):
    h = fsutil.Hasher(size)
    bounds = sorted({0, len(data), *(c for c in cuts if c <= len(data))})
    for a, b in zip(bounds, bounds[1:]):
        h.update(data[a:b])
    assert h.digests() == (hashlib.sha256(data).hexdigest(), len(data), chunk_digest(data, size), size)


def test_a_file_the_watcher_registered_loads_and_one_changed_after_is_fd016(shim_env, make_job, etl, monkeypatch):
    """The real watcher registers sha256 and chunk digest in one read (here with 16-byte chunks,
    so a small file has several); the engine checks the file chunk by chunk: the unchanged file
    loads, the one changed in its last chunk only after its registration fails with FD016 and
    nothing of it is loaded."""
    monkeypatch.setattr(fsutil, "DIGEST_CHUNK", 16)
    job = make_job()
    good, bad = f"{job['job']}_1.csv", f"{job['job']}_2.csv"
    rows = [(str(i), f"n{i}", f"p{i}@example.com") for i in range(1, 6)]
    data = csv_bytes(rows)
    (job["inbox"] / good).write_bytes(data)
    (job["inbox"] / bad).write_bytes(data.replace(b"n1", b"m1"))
    assert [o.action for o in watch(job)] == ["registered", "registered"]
    registered = etl.execute("SELECT file_name, chunk_sha256, chunk_size FROM dba.tdataloads WHERE job_name = %s"
                             " ORDER BY file_name", (job["job"],)).fetchall()
    assert registered == [(good, chunk_digest(data, 16), 16),
                          (bad, chunk_digest(data.replace(b"n1", b"m1"), 16), 16)]
    changed = data.replace(b"n1", b"m1")
    at = (len(changed) - 1) // 16 * 16  # the first byte of its last chunk: only that chunk differs
    changed = changed[:at] + (b"Z" if changed[at:at + 1] != b"Z" else b"Y") + changed[at + 1:]
    (job["processing"] / bad).write_bytes(changed)
    result = etl.execute("SELECT file_name, status, rows_inserted, message FROM dba.run_import(p_job => %s)"
                         " ORDER BY file_name", (job["job"],)).fetchall()
    assert result[0][:3] == (good, "loaded", 5)
    assert result[1][:3] == (bad, "failed", 0)
    assert result[1][3].startswith(f"[FD016] {bad}: ") and "its content differs from the one registered (its chunk digest)" in result[1][3]
    assert etl.execute(from_table("SELECT count(*), count(*) FILTER (WHERE name = 'm1') FROM {}", job)).fetchone() == (5, 0)


@pytest.mark.skipif(os.environ.get("FEEDS_BIG_TESTS") != "1", reason="set FEEDS_BIG_TESTS=1 (slow, 1.1 GB of disk)")
@pytest.mark.timeout(1800)
def test_a_csv_over_1_gb_loads_through_run_import(shim_env, make_job, etl, dsn):
    """A bytea holds at most 1 GB: a file over it loads only because the engine checks it one
    chunk at a time. The real watcher registers it, run_import loads every row."""
    job = make_job()
    name = f"{job['job']}_big.csv"
    line = "{},a name that fills the line up to a hundred bytes or so for the test of size,x{}@example.com\r\n"
    rows = 0
    with open(job["inbox"] / name, "w", newline="") as f:
        f.write("id,name,email\r\n")
        while f.tell() < (1 << 30) + (64 << 20):
            f.writelines(line.format(i, i) for i in range(rows, rows + 100_000))
            rows += 100_000
    size = (job["inbox"] / name).stat().st_size
    try:
        start = time.monotonic()
        assert [o.action for o in watch(job)] == ["registered"]
        watched = time.monotonic()
        [(status, inserted, message)] = etl.execute(
            "SELECT status, rows_inserted, message FROM dba.run_import(p_job => %s)", (job["job"],)).fetchall()
        loaded = time.monotonic()
        print(f"\nbig CSV: {size} bytes, {rows} rows: watch {watched - start:.1f} s, run_import {loaded - watched:.1f} s")
        assert (status, inserted) == ("loaded", rows), message
    finally:
        for p in (job["inbox"] / name, job["processing"] / name):
            p.unlink(missing_ok=True)
        with psycopg.connect(dsn + " user=postgres", autocommit=True) as admin:
            admin.execute(from_table("TRUNCATE {}", job))
