"""`feeds visitas run` end to end: a real sshd, the real throwaway cluster, the generic engine.

Every test uses its own addresses (a token in every e-mail), so file contents never repeat across
tests (the engine loads each content once per job) and visitor rows are the test's own.
"""
import os
import subprocess
import threading
import time
import uuid
import zipfile
from pathlib import Path

import psycopg
import pytest

from conftest import ROOT
from sshd import Sshd
from visitas_data import BAD_ROWS, HEADER, HEADER_VARIANT, row, write_report

from shims import visitas


@pytest.fixture
def token():
    return uuid.uuid4().hex[:8]


@pytest.fixture
def server(tmp_path):
    with Sshd(tmp_path) as s:
        yield s


@pytest.fixture
def job(workdir):
    """The real job row (etc/jobs/visitas.sql) pointed at this test's directories."""
    subprocess.run(["psql", "-XqAt", "-v", "ON_ERROR_STOP=1", "-v", f"base_dir={workdir}", "-U", "postgres",
                    "-f", str(ROOT / "etc" / "jobs" / "visitas.sql")], check=True, capture_output=True)
    return workdir


@pytest.fixture
def env(server, job, tmp_path, monkeypatch):
    for k in list(os.environ):
        if k.startswith("FEEDS_SFTP_"):
            monkeypatch.delenv(k)
    values = server.env(FEEDS_SFTP_LOCAL_DIR=job / "download", FEEDS_SFTP_STATE_FILE=tmp_path / "state.json",
                        FEEDS_SFTP_RETRIES=2, FEEDS_SFTP_BACKOFF=0.2, FEEDS_SFTP_TIMEOUT=10)
    values.update(PGUSER="feeds_etl", FEEDS_LOG_DIR=str(tmp_path / "logs"), FEEDS_DB_RETRIES="3",
                  FEEDS_DB_BACKOFF="0.2", FEEDS_REPORT_TO="", FEEDS_WATCH_SETTLE="0",
                  FEEDS_STATE_DIR=str(tmp_path / "state"))
    for k, v in values.items():
        monkeypatch.setenv(k, str(v))
    return values


def q(dsn, sql, params=None):
    """A fresh superuser connection per query (outage tests restart the server)."""
    with psycopg.connect(dsn + " user=postgres", autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def visitor(dsn, email):
    rows = q(dsn, "SELECT total_visits, visits_this_year, visits_this_month, first_visit::text, last_visit::text,"
                  " counters_month::text FROM visitas.visitor WHERE email = %s", (email,))
    return rows[0] if rows else None


def zips(job):
    d = job / "bckp"
    return sorted(d.glob("visitas_*.zip")) if d.exists() else []


def names(d: Path):
    return sorted(p.name for p in d.iterdir() if not p.name.startswith(".")) if d.exists() else []


def test_pull_load_archive_and_rerun(server, env, job, dsn, token, capsys):
    a, b, c = (f"{x}.{token}@example.com" for x in "abc")
    # CRLF, header as a real file spells it, a quoted list, the same address twice.
    write_report(server.remote_dir / "report_1.txt", [
        row(a, "08/02/2013 18:30", links="http://x.mx/1,http://x.mx/2", ips="10.0.0.1,10.0.0.2",
            navegadores="Chrome,Firefox", plataformas="Windows,Linux"),
        row(a.upper(), "10/02/2013 09:15", fecha_open="", fecha_click="-", badmail="HARD", baja="SI"),
        row(b, "31/01/2013 23:59", opens="12", clicks="3", fecha_click="01/02/2013 08:00"),
    ], header=HEADER_VARIANT, newline="\r\n")
    # LF line ends; a is seen again in another file.
    write_report(server.remote_dir / "report_2.txt", [row(a, "14/02/2013 07:00"), row(c, "01/12/2012 10:00")],
                 newline="\n")
    original = {n: (server.remote_dir / n).read_bytes() for n in ("report_1.txt", "report_2.txt")}

    assert visitas.main(["--as-of", "2013-02-15"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert "report_1.txt" in out and "report_2.txt" in out and "archive:" in out

    assert visitor(dsn, a) == (3, 3, 3, "2013-02-08 18:30:00", "2013-02-14 07:00:00", "2013-02-01")
    assert visitor(dsn, b) == (1, 1, 0, "2013-01-31 23:59:00", "2013-01-31 23:59:00", "2013-02-01")
    assert visitor(dsn, c) == (1, 0, 0, "2012-12-01 10:00:00", "2012-12-01 10:00:00", "2013-02-01")
    stats = q(dsn, "SELECT email, links, ips, navegadores, fecha_open, fecha_click, badmail, baja, opens, line_no"
                   " FROM visitas.statistics WHERE lower(email) LIKE %s ORDER BY load_id, line_no", (f"%{token}%",))
    assert len(stats) == 5
    assert stats[0][1:4] == ("http://x.mx/1,http://x.mx/2", "10.0.0.1,10.0.0.2", "Chrome,Firefox")
    assert stats[1][4:8] == (None, None, "HARD", "SI"), "'' and '-' are no date"
    assert stats[2][8] == 12 and stats[2][9] == 4, "line numbers count the header as line 1"

    # One verified zip with both files; local copies gone; remote files stay (no --delete-remote).
    [z] = zips(job)
    assert z.name.startswith("visitas_") and len(z.stem) == len("visitas_20130215_101500")
    with zipfile.ZipFile(z) as zf:
        assert zf.testzip() is None
        assert {n: zf.read(n) for n in zf.namelist()} == original
    assert names(job / "processing") == [] and names(job / "download") == []
    assert names(server.remote_dir) == ["report_1.txt", "report_2.txt"]
    assert q(dsn, "SELECT count(*) FROM dba.tdataloads WHERE file_location = %s", (str(z),))[0][0] == 2

    run = q(dsn, "SELECT run_uuid FROM dba.tdataloads WHERE file_name = 'report_1.txt' ORDER BY load_id DESC LIMIT 1")[0][0]
    assert q(dsn, "SELECT count(*) FROM dba.tlogentry WHERE run_uuid = %s AND message LIKE 'run finished%%'",
             (run,)) == [(1,)], "'run finished' is logged once per run"

    # Re-run: nothing new is downloaded, loaded or archived, and the console says so.
    n_loads = q(dsn, "SELECT count(*) FROM dba.tdataloads WHERE job_name = 'visitas'")[0][0]
    assert visitas.main(["--as-of", "2013-02-15"]) == 0
    assert "visitas: nothing new in" in capsys.readouterr().out
    assert q(dsn, "SELECT count(*) FROM dba.tdataloads WHERE job_name = 'visitas'")[0][0] == n_loads
    assert len(zips(job)) == 1
    assert visitor(dsn, a)[0] == 3

    # The server touches a file (new mtime, same content): downloaded again, never loaded twice.
    os.utime(server.remote_dir / "report_2.txt", (time.time() + 120, time.time() + 120))
    assert visitas.main(["--as-of", "2013-02-15"]) == 0
    status = q(dsn, "SELECT status FROM dba.tdataloads WHERE job_name = 'visitas' ORDER BY load_id DESC LIMIT 1")
    assert status == [("duplicate",)]
    [line] = [x for x in capsys.readouterr().out.splitlines() if "report_2.txt" in x]
    assert "duplicate" in line and "not loaded again" in line, "a duplicate gets its line"
    assert visitor(dsn, a)[0] == 3 and visitor(dsn, c)[0] == 1
    assert len(zips(job)) == 2, "the duplicate is archived too"


def test_bad_rows_and_bad_layout(server, env, job, dsn, token, capsys):
    good = f"good.{token}@example.com"
    bad_rows = []
    for kind, (r, _field) in BAD_ROWS.items():
        r = list(r)
        if "@" in r[0]:
            r[0] = r[0].replace("@", f".{token}@")
        bad_rows.append(r)
    write_report(server.remote_dir / "report_10.txt", [row(good)] + bad_rows + [row(good, "09/02/2013 10:00")])
    write_report(server.remote_dir / "report_11.txt", [row(f"x.{token}@example.com")[:14]], header=HEADER[:14])
    wrong_name = list(HEADER)
    wrong_name[4] = "Fecha de envio"
    write_report(server.remote_dir / "report_12.txt", [row(f"y.{token}@example.com")], header=wrong_name)

    assert visitas.main(["--as-of", "2013-02-15", "--report-to", "ops@example.com"]) == 1
    captured = capsys.readouterr()
    err = captured.err
    assert "report_11.txt" in err and "report_12.txt" in err
    for name in ("report_11.txt", "report_12.txt"):
        [line] = [x for x in captured.out.splitlines() if name in x]
        assert "file refused: layout" in line and "rejected" not in line, line
    assert q(dsn, "SELECT rows_read, rows_rejected FROM dba.tdataloads WHERE file_name = 'report_12.txt'"
                  " ORDER BY load_id DESC LIMIT 1") == [(0, 0)], "a refused layout counts no row as read or rejected"
    from shims import errors, status
    load12 = q(dsn, "SELECT load_id FROM dba.tdataloads WHERE file_name = 'report_12.txt' ORDER BY load_id DESC LIMIT 1")[0][0]
    assert status.main(["--job", "visitas"]) == 0
    [line] = [x for x in capsys.readouterr().out.splitlines() if "report_12.txt" in x]
    assert "file refused: layout" in line and line.split()[-3:-1] != ["0", "1"], line
    assert errors.main([str(load12)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first == f"load {load12}: report_12.txt (job visitas) file refused: layout: 0 rows read, 0 rejected", first

    run = q(dsn, "SELECT run_uuid FROM dba.tdataloads WHERE file_name = 'report_10.txt' ORDER BY load_id DESC LIMIT 1")[0][0]
    by_line = {r[1]: r for r in q(dsn, "SELECT file_name, line_no, field, code, message, raw_line FROM visitas.errors"
                                       " WHERE file_name = 'report_10.txt' ORDER BY line_no")}
    for i, (kind, (r, field)) in enumerate(BAD_ROWS.items()):
        line = i + 3  # header, first good row
        assert line in by_line, f"{kind} was not rejected"
        got = by_line[line]
        if field is not None:
            assert visitas_field(got[2]) == visitas_field(field), (kind, got)
        assert got[5] and got[4], "raw line and message are kept"
    assert {by_line[3 + list(BAD_ROWS).index(k)][3] for k in ("date_feb31", "date_3digit_month", "date_iso")} == {"format"}
    assert by_line[3 + list(BAD_ROWS).index("field_count")][3] == "field_count"
    assert by_line[3 + list(BAD_ROWS).index("email")][3] == "email"
    assert by_line[3 + list(BAD_ROWS).index("badmail")][3] == "allowed"

    layout = q(dsn, "SELECT file_name, code FROM visitas.errors WHERE file_name IN ('report_11.txt', 'report_12.txt')"
                    " AND run_uuid = %s ORDER BY 1", (run,))
    assert [x[0] for x in layout] == ["report_11.txt", "report_12.txt"] and {x[1] for x in layout} == {"header"}
    assert set(q(dsn, "SELECT DISTINCT run_uuid FROM visitas.errors")) == {(run,)}, "errors hold this run only"

    assert visitor(dsn, good)[0] == 2, "the good rows of a file with bad rows load"
    assert q(dsn, "SELECT count(*) FROM visitas.statistics WHERE email LIKE %s", (f"%{token}%",))[0][0] == 2
    assert names(job / "failed") == ["report_11.txt", "report_11.txt.reason.txt",
                                     "report_12.txt", "report_12.txt.reason.txt"]
    assert "header" in (job / "failed" / "report_12.txt.reason.txt").read_text()
    [z] = zips(job)
    with zipfile.ZipFile(z) as zf:
        assert zf.namelist() == ["report_10.txt"]

    mail = q(dsn, "SELECT recipients, attachment_name FROM dba.temailoutbox WHERE run_uuid = %s", (run,))
    assert mail and mail[0][0] == ["ops@example.com"], "the run report is queued in the outbox"
    assert mail[0][1] and mail[0][1].startswith("rejected_rows_"), "with the rejected rows attached"

    month = q(dsn, "SELECT files_processed, files_loaded, files_with_rejects, files_failed, rows_loaded, rows_rejected"
                   " FROM visitas.monthly_control WHERE month = '2013-02-01'")[0]
    assert month[0] >= 3 and month[1] >= 1 and month[2] >= 1 and month[3] >= 2
    assert month[5] >= len(BAD_ROWS)
    assert q(dsn, "SELECT sum(rows_rejected) FROM dba.tdataloads WHERE run_uuid = %s", (run,))[0][0] == len(BAD_ROWS), \
        "the monthly control's rejected rows are the bad rows only, not the rows of refused files"


def visitas_field(name):
    return name.lower().replace("í", "i") if name else name


def test_period_rollover_with_as_of(server, env, job, dsn, token):
    a, b = f"a.{token}@example.com", f"b.{token}@example.com"
    write_report(server.remote_dir / "report_20.txt", [row(a, "05/02/2013 10:00"), row(a, "06/02/2013 10:00"),
                                                       row(b, "07/02/2013 10:00")])
    assert visitas.main(["--as-of", "2013-02-15"]) == 0
    assert visitor(dsn, a)[:3] == (2, 2, 2)

    write_report(server.remote_dir / "report_21.txt", [row(a, "02/03/2013 10:00")])
    assert visitas.main(["--as-of", "2013-03-05"]) == 0
    assert visitor(dsn, a)[:3] == (3, 3, 1), "new month: month counter reset, year counter kept"
    assert visitor(dsn, a)[5] == "2013-03-01"
    assert visitor(dsn, b)[:3] == (1, 1, 1) and visitor(dsn, b)[5] == "2013-02-01", "untouched rows keep their period"
    stats = q(dsn, "SELECT email FROM visitas.statistics WHERE email LIKE %s", (f"%{token}%",))
    assert stats == [(a,)], "statistics hold the latest run only (replace_per_run)"

    write_report(server.remote_dir / "report_22.txt", [row(a, "03/01/2014 10:00"), row(b, "31/12/2013 10:00")])
    assert visitas.main(["--as-of", "2014-01-10"]) == 0
    assert visitor(dsn, a)[:3] == (4, 1, 1), "new year: both counters reset"
    assert visitor(dsn, b)[:3] == (2, 0, 0), "a visit of last year counts only in the total"


def test_unknown_host_key_is_refused(server, env, job, dsn, token, capsys):
    write_report(server.remote_dir / "report_30.txt", [row(f"a.{token}@example.com")])
    server.known_hosts.write_text("")
    assert visitas.main(["--as-of", "2013-02-15"]) == 1
    assert "is not in" in capsys.readouterr().err
    assert names(job / "download") == [] and zips(job) == []
    assert visitor(dsn, f"a.{token}@example.com") is None


def test_sftp_server_down_still_loads_earlier_downloads(server, env, job, dsn, token, capsys):
    a = f"a.{token}@example.com"
    local = job / "download"
    local.mkdir(mode=0o2770, exist_ok=True)
    write_report(local / "report_35.txt", [row(a)])  # pulled by an earlier run that stopped
    server.stop()
    assert visitas.main(["--as-of", "2013-02-15"]) == 1
    assert "gave up after 2 retries" in capsys.readouterr().err
    assert visitor(dsn, a)[0] == 1
    assert len(zips(job)) == 1 and names(local) == []


def test_database_down_mid_run_then_next_run_finishes(server, env, job, dsn, token, pgcluster, monkeypatch, capsys):
    a = f"a.{token}@example.com"
    write_report(server.remote_dir / "report_40.txt", [row(a, "08/02/2013 18:30"), row(a, "09/02/2013 18:30")])
    real_stage = visitas.stage_downloads

    def stage_then_stop(*args, **kw):
        staged = real_stage(*args, **kw)
        pgcluster("stop")
        return staged

    monkeypatch.setattr(visitas, "stage_downloads", stage_then_stop)
    try:
        assert visitas.main(["--as-of", "2013-02-15", "--delete-remote"]) == 1
    finally:
        pgcluster("start")
    assert "nothing was archived or deleted" in capsys.readouterr().err
    assert names(job / "processing") == ["report_40.txt"], "the file waits in processing"
    assert zips(job) == []
    assert names(server.remote_dir) == ["report_40.txt"], "nothing deleted on the server"
    assert visitor(dsn, a) is None
    assert list((Path(env["FEEDS_LOG_DIR"])).glob("feeds_fallback_*.csv")), "log lines went to the fallback file"

    monkeypatch.setattr(visitas, "stage_downloads", real_stage)
    assert visitas.main(["--as-of", "2013-02-15", "--delete-remote"]) == 0
    assert visitor(dsn, a)[0] == 2, "loaded exactly once"
    assert q(dsn, "SELECT count(*) FROM dba.tdataloads WHERE file_name = 'report_40.txt'"
                  " AND status IN ('loaded', 'loaded_with_rejects')")[0][0] == 1
    [z] = zips(job)
    with zipfile.ZipFile(z) as zf:
        assert zf.namelist() == ["report_40.txt"]
    assert names(job / "processing") == []
    assert names(server.remote_dir) == [], "--delete-remote deletes after the load committed"


def test_database_back_during_retries(server, env, job, dsn, token, pgcluster, monkeypatch):
    a = f"a.{token}@example.com"
    write_report(server.remote_dir / "report_50.txt", [row(a)])
    monkeypatch.setenv("FEEDS_DB_RETRIES", "10")
    monkeypatch.setenv("FEEDS_DB_BACKOFF", "1")
    real_stage = visitas.stage_downloads
    timer = []

    def stage_then_restart(*args, **kw):
        staged = real_stage(*args, **kw)
        pgcluster("stop")
        t = threading.Timer(2.0, pgcluster, ("start",))
        t.start()
        timer.append(t)
        return staged

    monkeypatch.setattr(visitas, "stage_downloads", stage_then_restart)
    try:
        assert visitas.main(["--as-of", "2013-02-15"]) == 0
    finally:
        for t in timer:
            t.join()
        pgcluster("start")
    assert visitor(dsn, a)[0] == 1
    assert len(zips(job)) == 1


def test_cli_without_sftp_loads_local_files(env, job, dsn, token, monkeypatch):
    """`feeds visitas run --no-pull` through the feeds command, as feeds_etl."""
    local = job / "download"
    local.mkdir(mode=0o2770, exist_ok=True)
    write_report(local / "report_60.txt", [row(f"a.{token}@example.com")])
    (local / "notes.txt").write_text("not a report\n")
    r = subprocess.run([str(ROOT / "bin" / "feeds"), "visitas", "run", "--no-pull", "--as-of", "2013-02-15"],
                       capture_output=True, text=True, env=dict(os.environ))
    assert r.returncode == 0, r.stderr
    assert "report_60.txt" in r.stdout and "loaded" in r.stdout
    assert "Traceback" not in r.stderr
    assert names(local) == ["notes.txt"], "files of other jobs stay where they are"
    assert visitor(dsn, f"a.{token}@example.com")[0] == 1


def test_a_zip_that_fails_verification_keeps_the_files(server, env, job, dsn, token, monkeypatch, capsys):
    a = f"a.{token}@example.com"
    write_report(server.remote_dir / "report_70.txt", [row(a)])
    with monkeypatch.context() as m:
        m.setattr(zipfile.ZipFile, "testzip", lambda self: "report_70.txt")
        assert visitas.main(["--as-of", "2013-02-15"]) == 1
    assert "fails its CRC check" in capsys.readouterr().err
    assert zips(job) == [] and not list((job / "bckp").glob(".*")), "no zip and no temporary left"
    assert names(job / "processing") == ["report_70.txt"], "the local copy is kept"
    assert visitas.main(["--as-of", "2013-02-15"]) == 0
    assert len(zips(job)) == 1 and names(job / "processing") == []
    assert visitor(dsn, a)[0] == 1, "loaded once"


def test_generic_feeds_run_pulls_visitas_files_too(server, env, job, dsn, token, tmp_path):
    """`feeds run` (shims/runner.py) calls sftp_pull.pull_for_run: the files reach the job's inbox,
    the watcher and the engine load them, the runner archives them its own way (one zip per load)."""
    from shims import runner
    a = f"a.{token}@example.com"
    write_report(server.remote_dir / "report_80.txt", [row(a)])
    assert runner.main(["--as-of", "2013-02-15", "--report-dir", str(tmp_path / "reports")]) == 0
    assert visitor(dsn, a)[0] == 1
    assert names(job / "download") == [] and names(job / "inbox") == [] and names(job / "processing") == []
    assert [p.name for p in (job / "bckp").glob("*report_80.txt*.zip")]


def test_a_corrected_resend_counts_once(server, env, job, dsn, token, capsys):
    """A client re-sends report_95.txt with two lines fixed: the earlier load is superseded (its
    rows and visits taken out), and every counter is as if only the corrected file had come."""
    a, b, c, d = (f"{x}.{token}@example.com" for x in "abcd")
    write_report(server.remote_dir / "report_95.txt", [row(a, "08/02/2013 18:30"), row(a, "09/02/2013 18:30"),
                                                       row(b, "09/02/2013 10:00"), row(c, "01/02/2013 10:00")])
    assert visitas.main(["--as-of", "2013-02-15"]) == 0
    assert visitor(dsn, a)[0] == 2 and visitor(dsn, c)[0] == 1
    first = q(dsn, "SELECT load_id FROM dba.tdataloads WHERE file_name = 'report_95.txt' AND status = 'loaded'")[0][0]

    # the corrected file: a once, d instead of c (a new mtime, so the pull takes it again)
    write_report(server.remote_dir / "report_95.txt", [row(a, "08/02/2013 18:30"), row(b, "09/02/2013 10:00"),
                                                       row(d, "10/02/2013 10:00")], mtime=time.time() + 120)
    assert visitas.main(["--as-of", "2013-02-15"]) == 0, capsys.readouterr().err
    assert visitor(dsn, a) == (1, 1, 1, "2013-02-08 18:30:00", "2013-02-08 18:30:00", "2013-02-01")
    assert visitor(dsn, b)[:3] == (1, 1, 1)
    assert visitor(dsn, c) is None, "a visitor only the earlier version had is gone"
    assert visitor(dsn, d)[:3] == (1, 1, 1)
    assert q(dsn, "SELECT sum(total_visits) FROM visitas.visitor WHERE email LIKE %s", (f"%{token}%",))[0][0] == 3
    assert q(dsn, "SELECT status FROM dba.tdataloads WHERE load_id = %s", (first,)) == [("undone",)]
    assert q(dsn, "SELECT count(*) FROM visitas.statistics WHERE email LIKE %s", (f"%{token}%",))[0][0] == 3


def test_configuration_errors_give_advice_that_fits(env, job, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("FEEDS_SFTP_HOST")
    assert visitas.main(["--as-of", "2013-02-15"]) == 2
    err = capsys.readouterr().err
    assert "no SFTP host: set FEEDS_SFTP_HOST" in err
    assert "--host" not in err, "feeds visitas run has no --host"
    assert "--no-pull" not in err
    env_file = tmp_path / "sftp.env"
    env_file.write_text("FEEDS_SFTP_HOST=127.0.0.1\n")
    env_file.chmod(0o644)
    assert visitas.main(["--as-of", "2013-02-15", "--env-file", str(env_file)]) == 2
    err = capsys.readouterr().err
    assert str(env_file) in err and "--no-pull" not in err, err
