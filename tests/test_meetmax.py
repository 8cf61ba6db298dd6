"""MeetMax checker and downloader against a real HTTP server on 127.0.0.1 serving fixture pages
that imitate the site (tests/meetmax_site.py). No request ever leaves the machine."""
import csv
import os
import re
import socket
import stat
import time

import pytest

from meetmax_site import MeetMaxSite
from shims import meetmax_check, meetmax_download

FIRST, LAST = 119179, 119189
PAGE = "/sched/event_{}/__co-list_cp.html"
FAST = ["--pause", "0", "--backoff", "0", "--rate-limit-pause", "0.3", "--timeout", "5"]


def _next_stamp():
    """Wait until the shims' file-name stamp (YYYYMMDDTHHMMSS, one-second resolution: the jobs'
    file patterns in docs/meetmax.md) has moved on, so the next file gets a new name."""
    first = meetmax_check.timestamp()
    while meetmax_check.timestamp() == first:
        time.sleep(0.02)


@pytest.fixture
def site():
    with MeetMaxSite() as s:
        yield s


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """Inbox, state and log directories; the shims log as feeds_etl into the throwaway cluster."""
    d = {k: tmp_path / k for k in ("inbox", "state", "logs")}
    monkeypatch.setenv("FEEDS_LOG_DIR", str(d["logs"]))
    monkeypatch.setenv("PGUSER", "feeds_etl")
    monkeypatch.delenv("FEEDS_MEETMAX_BASE_URL", raising=False)
    return d


def check(site, dirs, *args):
    argv = ["--base-url", site.base_url, "--inbox", str(dirs["inbox"]), "--state-dir", str(dirs["state"]),
            *FAST, *args]
    return meetmax_check.main(argv)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def check_csvs(dirs):
    return sorted(dirs["inbox"].glob("*_MeetMaxURLCheck.csv"))


def gaps(hits):
    return [b[0] - a[0] for a, b in zip(hits, hits[1:])]


def test_check_decides_every_variant(site, dirs, etl):
    rc = check(site, dirs, "--from", str(FIRST), "--to", str(LAST), "--user-agent", "FeedsTest/9")
    assert rc == 0
    [out] = check_csvs(dirs)
    assert re.fullmatch(r"\d{8}T\d{6}_MeetMaxURLCheck\.csv", out.name)
    assert stat.S_IMODE(out.stat().st_mode) == 0o660
    assert [p.name for p in dirs["inbox"].iterdir()] == [out.name], "no temporary file left in the inbox"
    assert not (dirs["state"] / meetmax_check.CHECKPOINT_NAME).exists()
    with open(out, newline="") as f:
        assert next(csv.reader(f)) == ["EventID", "URL", "IfExists", "IsPrivate", "InvalidEventID",
                                       "IsDownloadable", "DownloadLink", "StatusCode", "Title", "CheckedAt"]
    rows = {int(r["EventID"]): r for r in read_csv(out)}
    assert list(rows) == list(range(FIRST, LAST + 1))
    b = site.base_url

    def decided(eid):
        r = rows[eid]
        return (r["IfExists"], r["IsPrivate"], r["InvalidEventID"], r["IsDownloadable"], r["StatusCode"])

    # public event, upper-case tags and attributes in another order, relative xls link
    assert decided(119179) == ("1", "0", "0", "1", "200")
    assert rows[119179]["URL"] == b + PAGE.format(119179)
    assert rows[119179]["DownloadLink"] == f"{b}/sched/event_119179/__co-list_cp.xls?event_id=119179"
    assert rows[119179]["Title"] == "Global Tech Investor Conference 2026"
    # private: the private page counts; root-relative link, ;jsessionid cut
    assert decided(119180) == ("1", "1", "0", "1", "200")
    assert rows[119180]["URL"] == f"{b}/sched/event_119180/__private-co-list_cp.html"
    assert rows[119180]["DownloadLink"] == f"{b}/sched/event_119180/__private-co-list_cp.xls?event_id=119180"
    assert rows[119180]["Title"] == "Acme Healthcare Summit (Private)"
    # invalid event id: alert with status 200, and a plain 404
    assert decided(119181) == ("0", "0", "1", "0", "200")
    assert decided(119182) == ("0", "0", "0", "0", "404")
    assert decided(119189) == ("0", "0", "0", "0", "404")
    # export button only (ID="export"), ../ link with ;sid in the query
    assert decided(119183) == ("1", "0", "0", "1", "200")
    assert rows[119183]["DownloadLink"] == f"{b}/sched/event_119183/__co-list_cp.xls?event_id=119183"
    # 429 + Retry-After, 500, Cloudflare 1015: retried, then decided normally
    assert decided(119184) == ("1", "0", "0", "1", "200")
    assert rows[119184]["Title"] == "Small Cap Conference"
    assert decided(119185) == ("1", "0", "0", "1", "200")
    assert rows[119185]["DownloadLink"] == f"{b}/sched/event_119185/__co-list_cp.xls?event_id=119185"
    assert decided(119186) == ("1", "0", "0", "0", "200")
    assert rows[119186]["DownloadLink"] == ""
    # redirect to a login page: nothing is known about the event, the title says why
    assert decided(119187) == ("", "", "", "", "302")
    assert rows[119187]["Title"] == "[login required]"
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", r["CheckedAt"]) for r in rows.values())

    # politeness, seen from the server
    retried = site.hits(PAGE.format(119184))
    assert len(retried) == 2 and gaps(retried)[0] >= 1.0, "Retry-After: 1 was honoured"
    assert len(site.hits(PAGE.format(119185))) == 2
    cf = site.hits(PAGE.format(119186))
    assert len(cf) == 2 and gaps(cf)[0] >= 0.3, "a long pause after the Cloudflare page"
    assert len(site.hits(PAGE.format(119179))) == 1
    assert {h["User-Agent"] for _, _, h in site.log} == {"FeedsTest/9"}

    # the run is in the log
    n = etl.execute("SELECT count(*) FROM dba.tlogentry WHERE process_type = 'meetmax_check'"
                    " AND message LIKE %s", (f"wrote %{out.name}: 11 events, 7 exist, 6 downloadable, 0 errors",)
                    ).fetchone()[0]
    assert n == 1


def test_check_pauses_between_requests(site, dirs):
    """The client starts requests `--pause` apart; the site sees each one a little after it was
    sent (its handler thread may start late on a busy machine), so a gap it measures is the pause
    plus or minus that lag. Half a second of lag is far beyond any seen; without the pause the
    three requests arrive within milliseconds."""
    assert check(site, dirs, "--ids", "119179,119181,119182", "--pause", "1.0") == 0
    times = [(t,) for t, _, _ in site.log]
    assert len(times) == 3
    assert min(gaps(times)) >= 0.5 and times[-1][0] - times[0][0] >= 1.5


def test_network_error_is_recorded_after_the_retries(dirs):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    rc = meetmax_check.main(["--base-url", f"http://127.0.0.1:{port}", "--ids", "5", "--inbox", str(dirs["inbox"]),
                             "--state-dir", str(dirs["state"]), *FAST, "--retries", "2"])
    assert rc == 1
    [row] = read_csv(check_csvs(dirs)[0])
    assert row["StatusCode"] == "" and row["IfExists"] == ""
    assert row["Title"].startswith("[error: ConnectionError") and "after 3 attempts" in row["Title"]


def test_exhausted_5xx_is_an_error_row(site, dirs):
    site.script[PAGE.format(119179)] = [(503, {}, b"busy")] * 3
    assert check(site, dirs, "--ids", "119179", "--retries", "2") == 1
    [row] = read_csv(check_csvs(dirs)[0])
    assert row["StatusCode"] == "503" and row["Title"] == "[error: HTTP 503 after 3 attempts]"


def test_interrupted_run_resumes_where_it_stopped(site, dirs, monkeypatch):
    real = meetmax_check.decide
    calls = []

    def flaky(eid, base, fetcher):
        calls.append(eid)
        if eid == 119182:
            raise KeyboardInterrupt
        return real(eid, base, fetcher)

    monkeypatch.setattr(meetmax_check, "decide", flaky)
    # the default --checkpoint-every 10 has not come yet: the checkpoint is written on the way out
    assert check(site, dirs, "--from", "119179", "--to", "119183") == 130
    assert check_csvs(dirs) == []
    checkpoint = dirs["state"] / meetmax_check.CHECKPOINT_NAME
    assert [r["EventID"] for r in read_csv(checkpoint)] == ["119179", "119180", "119181"]

    monkeypatch.setattr(meetmax_check, "decide", real)
    site.log.clear()
    assert check(site, dirs, "--from", "119179", "--to", "119183") == 0
    asked = {p for _, p, _ in site.log}
    assert asked == {PAGE.format(119182), PAGE.format(119183)}, "only the events not yet checked"
    rows = read_csv(check_csvs(dirs)[0])
    assert [r["EventID"] for r in rows] == [str(i) for i in range(119179, 119184)]
    assert rows[1]["IsPrivate"] == "1"
    assert not checkpoint.exists()


def test_bad_usage_exits_2(dirs, capsys):
    assert meetmax_check.main(["--inbox", str(dirs["inbox"])]) == 2
    assert meetmax_check.main(["--from", "10", "--to", "5", "--inbox", str(dirs["inbox"])]) == 2
    assert "below --from" in capsys.readouterr().err
    assert meetmax_check.main(["--ids", "1,x", "--inbox", str(dirs["inbox"])]) == 2
    assert meetmax_download.main(["--check-csv", str(dirs["inbox"] / "missing.csv"),
                                  "--inbox", str(dirs["inbox"])]) == 2


@pytest.fixture
def no_downloads(admin):
    """What earlier tests downloaded is forgotten (meetmax.download is what the downloader asks)."""
    admin.execute("DELETE FROM meetmax.download")
    yield
    admin.execute("DELETE FROM meetmax.download")


def download(site, dirs, *args):
    argv = ["--inbox", str(dirs["inbox"]), "--state-dir", str(dirs["state"]), "--base-url", site.base_url,
            "--result-csv", str(dirs["logs"] / "result.csv"), *FAST, *args]
    return meetmax_download.main(argv)


def test_download_keeps_real_lists_and_refuses_the_rest(site, dirs, no_downloads, admin):
    assert check(site, dirs, "--from", str(FIRST), "--to", str(LAST)) == 0
    [check_csv] = check_csvs(dirs)
    site.log.clear()
    assert download(site, dirs, "--check-csv", str(check_csv)) == 1  # some lists are refused
    res = {int(r["EventID"]): r for r in read_csv(dirs["logs"] / "result.csv")}
    assert list(res) == [119179, 119180, 119183, 119184, 119185, 119188]
    with open(dirs["logs"] / "result.csv", newline="") as f:
        assert next(csv.reader(f))[:6] == ["EventID", "DownloadURL", "Status", "Bytes", "SHA256", "ContentKind"]
    status = {e: (r["Status"], r["ContentKind"]) for e, r in res.items()}
    assert status == {119179: ("saved", "xls"), 119180: ("saved", "xlsx"), 119183: ("refused", "html"),
                      119184: ("saved", "html"), 119185: ("saved", "xls"), 119188: ("refused", "text")}
    assert "without a company table" in res[119183]["Reason"]
    assert "Invalid Event ID" in res[119188]["Reason"]

    saved = {int(re.fullmatch(r"\d{8}T\d{6}_MeetMax_(\d+)\.xls", p.name).group(1)): p
             for p in dirs["inbox"].glob("*_MeetMax_*.xls")}
    assert sorted(saved) == [119179, 119180, 119184, 119185]
    for eid, p in saved.items():
        assert stat.S_IMODE(p.stat().st_mode) == 0o660
        assert res[eid]["Reason"] == p.name
        assert int(res[eid]["Bytes"]) == p.stat().st_size
    served = site.downloads
    assert saved[119179].read_bytes() == served["/sched/event_119179/__co-list_cp.xls"][1]
    assert saved[119179].read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    assert saved[119180].read_bytes()[:2] == b"PK"
    assert not [p for p in dirs["inbox"].iterdir() if p.name.startswith(".")]

    # the event page went along as Referer; the session extras never reached the server
    [(_, headers)] = site.hits("/sched/event_119180/__private-co-list_cp.xls")
    assert headers["Referer"] == f"{site.base_url}/sched/event_119180/__private-co-list_cp.html"
    assert all(";" not in p for _, p, _ in site.log)

    # a second run downloads again but keeps nothing twice
    before = sorted(p.name for p in dirs["inbox"].iterdir())
    _next_stamp()  # a new timestamp, so a second file would show
    download(site, dirs, "--check-csv", str(check_csv))
    res2 = {int(r["EventID"]): r["Status"] for r in read_csv(dirs["logs"] / "result.csv")}
    assert [e for e, s in res2.items() if s == "duplicate"] == [119179, 119180, 119184, 119185]
    assert sorted(p.name for p in dirs["inbox"].iterdir()) == before
    # the database holds what was saved, and said so itself: no manifest file in the state dir
    saved_rows = admin.execute("SELECT event_id, file_name FROM meetmax.download WHERE status = 'saved'"
                               " ORDER BY event_id").fetchall()
    assert saved_rows == [(e, saved[e].name) for e in sorted(saved)]
    assert not dirs["state"].exists() or not list(dirs["state"].iterdir())


def test_download_reads_events_from_the_database(site, dirs, admin, etl, no_downloads):
    b = site.base_url
    admin.execute("DELETE FROM meetmax.url_check WHERE event_id IN (119179, 119181, 119186)")
    admin.execute(
        "INSERT INTO meetmax.url_check (event_id, url, if_exists, is_downloadable, download_link, checked_at, load_id)"
        " VALUES (119179, %s, true, true, %s, now(), -1), (119181, %s, false, false, NULL, now(), -1),"
        "        (119186, %s, true, false, NULL, now(), -1)",
        (b + PAGE.format(119179), b + "/sched/event_119179/__co-list_cp.xls?event_id=119179",
         b + PAGE.format(119181), b + PAGE.format(119186)))
    try:
        # as feeds_etl (the dirs fixture sets PGUSER): least privilege is enough
        assert download(site, dirs, "--ids", "119179,119181,119186") == 0
    finally:
        admin.execute("DELETE FROM meetmax.url_check WHERE load_id = -1")
    [row] = read_csv(dirs["logs"] / "result.csv")
    assert (row["EventID"], row["Status"], row["ContentKind"]) == ("119179", "saved", "xls")
    assert len(list(dirs["inbox"].glob("*_MeetMax_119179.xls"))) == 1
    n = etl.execute("SELECT count(*) FROM dba.tlogentry WHERE process_type = 'meetmax_download'"
                    " AND message = 'event 119179: saved ' || %s", (row["Reason"],)).fetchone()[0]
    assert n == 1
    run = etl.execute("SELECT run_uuid FROM dba.tlogentry WHERE process_type = 'meetmax_download'"
                      " AND message = 'event 119179: saved ' || %s", (row["Reason"],)).fetchone()[0]
    users = etl.execute("SELECT DISTINCT user_name FROM dba.tlogentry WHERE run_uuid = %s", (run,)).fetchall()
    assert users == [("feeds_etl",)], "every line of the run names the same user, the database role"


def test_download_without_database_or_csv_says_what_to_do(site, dirs, monkeypatch, capsys):
    monkeypatch.setenv("PGHOST", "/nonexistent")
    monkeypatch.setenv("FEEDS_DB_RETRIES", "0")
    assert download(site, dirs) == 2
    err = capsys.readouterr().err
    assert "cannot read meetmax.url_check" in err and "--check-csv" in err


def test_log_falls_back_to_csv_when_the_database_is_down(site, dirs, monkeypatch):
    monkeypatch.setenv("PGHOST", "/nonexistent")
    assert check(site, dirs, "--ids", "119179") == 0
    [fallback] = dirs["logs"].glob("feeds_fallback_*.csv")
    messages = [r["message"] for r in read_csv(fallback) if r["process_type"] == "meetmax_check"]
    assert any(m.startswith("wrote ") and "1 events, 1 exist" in m for m in messages)


def test_cli_dispatches_to_the_checker(site, dirs):
    import subprocess
    import sys
    from conftest import ROOT
    env = dict(os.environ, FEEDS_MEETMAX_BASE_URL=site.base_url, FEEDS_INBOX=str(dirs["inbox"]),
               FEEDS_STATE_DIR=str(dirs["state"]), FEEDS_HTTP_PAUSE="0")
    r = subprocess.run([sys.executable, "-m", "shims", "meetmax", "check", "--ids", "119181"],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    [out] = check_csvs(dirs)
    assert r.stdout.strip() == str(out)
    assert read_csv(out)[0]["InvalidEventID"] == "1"


def test_a_check_run_alone_with_the_database_down_makes_its_log_dir_2770_and_files_0660(site, dirs):
    """Issue 11: `feeds meetmax check` started by itself under umask 022, with the database away,
    creates the log directory 2770 and its fallback log and result CSV 0660, group etl_group."""
    import stat
    import subprocess
    import sys
    from conftest import ROOT
    from shims import fsutil
    env = dict(os.environ, FEEDS_MEETMAX_BASE_URL=site.base_url, FEEDS_INBOX=str(dirs["inbox"]),
               FEEDS_STATE_DIR=str(dirs["state"]), FEEDS_HTTP_PAUSE="0", PGHOST="/nonexistent", FEEDS_DB_RETRIES="0")
    r = subprocess.run(["sh", "-c", 'umask 022 && exec "$0" -m shims meetmax check --ids 119179', sys.executable],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    gid = fsutil.group_id()
    group = gid if gid is not None and (os.geteuid() == 0 or gid in os.getgroups()) else os.getegid()
    made = [dirs["logs"], *sorted(dirs["logs"].iterdir())]
    assert any(p.name.startswith("feeds_fallback_") for p in made), made
    assert [(p.name, oct(stat.S_IMODE(p.stat().st_mode)), p.stat().st_gid) for p in made] == \
        [(p.name, oct(0o2770 if p.is_dir() else 0o660), group) for p in made]


# --- the whole pipeline: check -> watcher -> engine -> download -> watcher (convert) -> engine ----

def _apply_jobs(base):
    import subprocess
    from conftest import ROOT
    env = dict(os.environ, PGUSER="postgres")
    subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-v", f"base_dir={base}",
                    "-f", str(ROOT / "etc/jobs/meetmax.sql")], env=env, check=True, capture_output=True)


def _watch(inbox):
    from shims import db as dbm
    from shims import file_watcher as fw
    db = dbm.Db()
    log = dbm.RunLog("file_watcher", str(db.one("SELECT dba.start_run('file_watcher')")[0]))
    try:
        outcomes = fw.watch_once(db, log, settle=0.2, inboxes=[str(inbox)])
    finally:
        db.close()
        log.close()
    assert not [o for o in outcomes if o.failed], outcomes
    return outcomes


def _import(etl, job):
    return {r[1]: r for r in etl.execute(
        "SELECT load_id, file_name, status, rows_read, rows_inserted, rows_updated, rows_rejected, message"
        " FROM dba.run_import(p_job => %s)", (job,)).fetchall()}


@pytest.fixture
def meetmax_jobs(workdir, tmp_path, admin, monkeypatch):
    """The real MeetMax jobs (etc/jobs/meetmax.sql, enabled) over this test's directories, their
    tables empty; the shims log as feeds_etl into tmp_path/logs. Disabled and emptied afterwards."""
    monkeypatch.setenv("FEEDS_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setenv("FEEDS_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("PGUSER", "feeds_etl")
    old = os.umask(0o007)
    try:
        for d in ("inbox", "processing", "archive", "failed"):
            (workdir / d).mkdir(mode=0o2770)
    finally:
        os.umask(old)

    def empty():
        admin.execute("DELETE FROM meetmax.url_check")
        admin.execute("DELETE FROM meetmax.company_list")
    empty()
    _apply_jobs(workdir)
    admin.execute("UPDATE dba.timportconfig SET enabled = true WHERE job_name LIKE 'meetmax%'")
    try:
        yield workdir
    finally:
        admin.execute("UPDATE dba.timportconfig SET enabled = false WHERE job_name LIKE 'meetmax%'")
        empty()


def test_pipeline_loads_every_variant_into_the_database(site, meetmax_jobs, tmp_path, admin, etl, monkeypatch,
                                                       no_downloads):
    dirs = {"inbox": meetmax_jobs / "inbox", "state": tmp_path / "state", "logs": tmp_path / "logs"}
    _pipeline(site, dirs, etl, admin, monkeypatch)


def _pipeline(site, dirs, etl, admin, monkeypatch):
    b = site.base_url
    # no --inbox: the shim asks the database for the inbox of its job
    assert meetmax_check.main(["--base-url", b, "--state-dir", str(dirs["state"]), *FAST,
                               "--from", str(FIRST), "--to", str(LAST)]) == 0
    [check_csv] = check_csvs(dirs)
    _watch(dirs["inbox"])
    loads = _import(etl, "meetmax_url_check")
    load_id, _, status, read, inserted, _, rejected, _ = loads[check_csv.name]
    assert (status, read, inserted, rejected) == ("loaded", 11, 11, 0)
    got = {r[0]: r[1:] for r in etl.execute(
        "SELECT event_id, if_exists, is_private, invalid_event_id, is_downloadable, status_code, title, load_id"
        " FROM meetmax.url_check ORDER BY event_id")}
    L = load_id
    assert got == {
        119179: (True, False, False, True, 200, "Global Tech Investor Conference 2026", L),
        119180: (True, True, False, True, 200, "Acme Healthcare Summit (Private)", L),
        119181: (False, False, True, False, 200, "MeetMax", L),
        119182: (False, False, False, False, 404, "[not found]", L),
        119183: (True, False, False, True, 200, "Emerging Markets Forum", L),
        119184: (True, False, False, True, 200, "Small Cap Conference", L),
        119185: (True, False, False, True, 200, "Energy Transition Week", L),
        119186: (True, False, False, False, 200, "Fintech Leaders Dinner", L),
        119187: (None, None, None, None, 302, "[login required]", L),
        119188: (True, False, False, True, 200, "Retail Investor Day", L),
        119189: (False, False, False, False, 404, "[not found]", L),
    }
    url, link = etl.execute("SELECT url, download_link FROM meetmax.url_check WHERE event_id = 119180").fetchone()
    assert url == f"{b}/sched/event_119180/__private-co-list_cp.html"
    assert link == f"{b}/sched/event_119180/__private-co-list_cp.xls?event_id=119180"

    # A later check: 119179 fails this time, 119181 is checked again. The failed check is rejected
    # and the good earlier one stays; the new check of 119181 wins.
    _next_stamp()  # the first CSV lies in processing/ now; the watcher never overwrites a name there
    site.script[PAGE.format(119179)] = [(503, {}, b"busy")] * 3
    assert check(site, dirs, "--ids", "119179,119181", "--retries", "2") == 1
    _watch(dirs["inbox"])
    [(load2, _, status, _, _, updated, rejected, _)] = _import(etl, "meetmax_url_check").values()
    assert (status, updated, rejected) == ("loaded_with_rejects", 1, 1)
    assert etl.execute("SELECT load_id, is_downloadable FROM meetmax.url_check WHERE event_id = 119179"
                       ).fetchone() == (L, True)
    assert etl.execute("SELECT load_id FROM meetmax.url_check WHERE event_id = 119181").fetchone() == (load2,)
    [(rule,)] = etl.execute("SELECT rule FROM dba.tloaderror WHERE load_id = %s", (load2,)).fetchall()
    assert rule == "regex", "a check that ended in an error never overwrites a good one"

    # Download what the database says is downloadable, as the pull step of `feeds run` does (under
    # the runner's run, into the job's inbox), then let the watcher convert and the engine load.
    from shims import db as dbm
    monkeypatch.setenv("FEEDS_MEETMAX_BASE_URL", b)
    monkeypatch.setenv("FEEDS_HTTP_PAUSE", "0")
    from shims import runner
    monkeypatch.delenv("FEEDS_SFTP_HOST", raising=False)
    run = str(etl.execute("SELECT dba.start_run('feeds_run')").fetchone()[0])
    log = dbm.RunLog("feeds_run", run)
    try:
        problems = runner.pull(log)  # what `feeds run` says failed
    finally:
        log.close()
    [problem] = problems
    assert problem.startswith("the pull (meetmax_download): 2 lists refused: event 119183 (an HTML page without a"
                              " company table came back"), problem
    assert "event 119188 (the site answered 'Invalid Event ID')" in problem
    [result_csv] = dirs["logs"].glob("*_MeetMaxDownload.csv")
    res = {int(r["EventID"]): r["Status"] for r in read_csv(result_csv)}
    assert etl.execute("SELECT count(*) FROM dba.tlogentry WHERE run_uuid = %s AND process_type = 'meetmax_download'"
                       " AND message LIKE 'event 119179: saved %%'", (run,)).fetchone()[0] == 1
    assert res == {119179: "saved", 119180: "saved", 119183: "refused", 119184: "saved", 119185: "saved",
                   119188: "refused"}
    _watch(dirs["inbox"])
    loads = _import(etl, "meetmax_company_list")
    by_event = {int(re.search(r"_MeetMax_(\d+)\.xls$", name).group(1)): row for name, row in loads.items()}
    assert {e: r[2] for e, r in by_event.items()} == {119179: "loaded", 119180: "loaded", 119184: "loaded",
                                                      119185: "loaded"}
    companies = {}
    for eid, name, ticker, lid in admin.execute(  # feeds_etl may not read the lists
            "SELECT event_id, company_name, ticker, load_id FROM meetmax.company_list ORDER BY 1, 2"):
        assert lid == by_event[eid][0]
        companies.setdefault(eid, []).append((name, ticker))
    # XLS: "Company Name" / "Ticker"; an empty ticker is NULL; UTF-8 survives
    assert companies[119179] == [("Alpha Widgets Inc.", "ALWD"), ("Beta Software plc", "BSW"),
                                 ("Delta Robotics AG", None), ("Gamma Ñandú S.A.", "GMN")]
    # XLSX: "Company/Organization" / "Company Ticker" and a blank header column
    assert companies[119180] == [("Acme Biologics", "ACMB"), ("Private Holdings LLC", None),
                                 ("Zeta Diagnostics", "ZDX")]
    # an HTML table saved as .xls
    assert len(companies[119184]) == 22 and ("Omega Small Caps Corp", "OSC") in companies[119184]
    # XLS: "Company/Organization" / "Ticker"
    assert companies[119185] == [("Solar Fields Inc", "SOLF"), ("Wind & Water plc", "WWP")]


def test_a_login_form_counts_only_where_the_list_should_be(site, dirs):
    assert check(site, dirs, "--ids", "119190,119191") == 0
    rows = {r["EventID"]: r for r in read_csv(check_csvs(dirs)[0])}
    # a sidebar login widget next to the list: a normal public event
    assert (rows["119190"]["IfExists"], rows["119190"]["IsDownloadable"], rows["119190"]["Title"]) == \
        ("1", "1", "Biotech Partnering Day")
    # a sign-in page served at 200 without a redirect: nothing known
    assert (rows["119191"]["IfExists"], rows["119191"]["IsPrivate"], rows["119191"]["StatusCode"],
            rows["119191"]["Title"]) == ("", "", "200", "[login required]")


def test_two_checks_in_one_second_keep_both_files(site, dirs):
    assert check(site, dirs, "--ids", "119181") == 0
    assert check(site, dirs, "--ids", "119182") == 0
    files = check_csvs(dirs)
    assert len(files) == 2
    assert sorted(read_csv(f)[0]["EventID"] for f in files) == ["119181", "119182"]


def test_certificates_are_verified(dirs, tmp_path):
    import subprocess
    pem = tmp_path / "site.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(pem), "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    pem.write_bytes(pem.read_bytes() + (tmp_path / "cert.pem").read_bytes())
    with MeetMaxSite(certfile=str(pem)) as tls_site:
        assert tls_site.base_url.startswith("https://")
        assert check(tls_site, dirs, "--ids", "119179", "--retries", "0") == 1
    [row] = read_csv(check_csvs(dirs)[0])
    assert row["Title"].startswith("[error: SSLError") and "CERTIFICATE_VERIFY_FAILED" in row["Title"]
    assert row["IfExists"] == ""


@pytest.mark.parametrize("href, expected", [
    ("__co-list_cp.xls?event_id=7", "https://m.example/sched/event_7/__co-list_cp.xls?event_id=7"),
    ("../event_7/__co-list_cp.xls;jsessionid=AB?event_id=7", "https://m.example/sched/event_7/__co-list_cp.xls?event_id=7"),
    ("/sched/event_7/__co-list_cp.xls?event_id=7;sid=Z#top", "https://m.example/sched/event_7/__co-list_cp.xls?event_id=7"),
    ("  HTTPS://m.example/sched/event_7/__co-list_cp.xls  ", "https://m.example/sched/event_7/__co-list_cp.xls"),
])
def test_links_are_resolved_and_session_extras_cut(href, expected):
    assert meetmax_check.clean_link("https://m.example/sched/event_7/__co-list_cp.html", href) == expected


def test_retry_after_as_seconds_or_http_date():
    import email.utils
    import requests
    from shims.http_fetch import retry_after_seconds
    r = requests.Response()
    r.headers["Retry-After"] = "7"
    assert retry_after_seconds(r) == 7
    r.headers["Retry-After"] = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= retry_after_seconds(r) <= 31
    r.headers["Retry-After"] = "soon"
    assert retry_after_seconds(r) is None


def test_parallel_workers_decide_the_same(site, dirs):
    decided = ("EventID", "URL", "IfExists", "IsPrivate", "InvalidEventID", "IsDownloadable", "DownloadLink",
               "StatusCode", "Title")
    assert check(site, dirs, "--from", "119179", "--to", "119183", "--max-workers", "3") == 0
    [par] = check_csvs(dirs)
    par.rename(par.with_name("parallel.csv"))
    assert check(site, dirs, "--from", "119179", "--to", "119183") == 0
    [seq] = check_csvs(dirs)
    strip = lambda rows: [tuple(r[k] for k in decided) for r in rows]  # noqa: E731
    assert strip(read_csv(par.with_name("parallel.csv"))) == strip(read_csv(seq))


def test_pull_step_is_skipped_when_not_configured(monkeypatch):
    from shims import db as dbm
    monkeypatch.delenv("FEEDS_MEETMAX_BASE_URL", raising=False)
    lines = []
    log = dbm.RunLog("feeds_run")
    monkeypatch.setattr(log, "log", lambda m, level="info", load_id=None: lines.append(m))
    assert meetmax_download.pull_for_run(run_uuid=log.run_uuid, log=log) == 0
    assert lines == ["pull meetmax_download: not configured (FEEDS_MEETMAX_BASE_URL is not set); skipped"]


def test_content_is_judged_by_its_bytes():
    from meetmax_site import make_xls, make_xlsx
    from shims.http_fetch import Fetched
    import requests
    ok = requests.Response()
    ok.status_code, ok.url = 200, "http://127.0.0.1/sched/event_1/__co-list_cp.xls"
    f = Fetched(ok.url, ok)
    ssml = (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
            + b"<Worksheet><Table><Row><Cell><Data>Company Name</Data></Cell></Row></Table></Worksheet>" * 20
            + b"</Workbook>")
    judged = {name: meetmax_download.judge(f, data) for name, data in {
        "xls": make_xls(["Company Name"], [("A",)]), "xlsx": make_xlsx(["Company Name"], [("A",)]),
        "ssml": ssml, "pdf": b"%PDF-1.4" + b"x" * 2000, "tiny": make_xlsx(["Company Name"], [])[:900],
    }.items()}
    assert judged["xls"] == ("xls", "") and judged["xlsx"] == ("xlsx", "") and judged["ssml"] == ("spreadsheetml", "")
    assert judged["pdf"][0] == "pdf" and "not a spreadsheet" in judged["pdf"][1]
    # a list cut short is told by the sniffer (the 1 KB floor for whole files is the database's:
    # meetmax.begin_download, db/tests/meetmax.begin_download.sql)
    assert judged["tiny"][0] == "corrupt_zip" and "truncated" in judged["tiny"][1]


# --- issue 14: variants the first fixtures did not have ------------------------------------------

def test_an_export_button_without_a_link_gets_the_conventional_list_url(site, dirs, no_downloads):
    assert check(site, dirs, "--ids", "200001,200002,200009") == 0
    [out] = check_csvs(dirs)
    rows = {r["EventID"]: r for r in read_csv(out)}
    b = site.base_url
    # href="#" on a private page, javascript:, an empty href: the list beside the page, for the event
    assert rows["200001"]["IsPrivate"] == "1" and rows["200001"]["IsDownloadable"] == "1"
    assert rows["200001"]["DownloadLink"] == f"{b}/sched/event_200001/__private-co-list_cp.xls?event_id=200001"
    assert rows["200002"]["DownloadLink"] == f"{b}/sched/event_200002/__co-list_cp.xls?event_id=200002"
    assert rows["200009"]["DownloadLink"] == f"{b}/sched/event_200009/__co-list_cp.xls?event_id=200009"
    # and that URL gives the list, not the page
    assert download(site, dirs, "--check-csv", str(out), "--ids", "200001,200002") == 0
    res = {r["EventID"]: (r["Status"], r["ContentKind"]) for r in read_csv(dirs["logs"] / "result.csv")}
    assert res == {"200001": ("saved", "xls"), "200002": ("saved", "xls")}


def test_login_and_rate_limit_pages_tell_nothing_about_the_event(site, dirs):
    assert check(site, dirs, "--ids", "119187,200003", "--retries", "0") == 1  # still rate limited: try again
    [out] = check_csvs(dirs)
    rows = {r["EventID"]: r for r in read_csv(out)}
    known = ("IfExists", "IsPrivate", "InvalidEventID", "IsDownloadable", "DownloadLink")
    assert [rows["119187"][k] for k in known] == [""] * 5 and rows["119187"]["Title"] == "[login required]"
    assert [rows["200003"][k] for k in known] == [""] * 5 and rows["200003"]["Title"] == "[rate limited]"
    assert rows["200003"]["StatusCode"] == "429"


def test_an_xlsx_with_new_bytes_but_the_same_cells_is_not_saved_again(site, dirs, no_downloads):
    check_csv = dirs["logs"] / "check.csv"
    check_csv.parent.mkdir(parents=True, exist_ok=True)
    check_csv.write_text("EventID,URL,IfExists,IsPrivate,InvalidEventID,IsDownloadable,DownloadLink,StatusCode,"
                         "Title,CheckedAt\n200008,/sched/event_200008/__co-list_cp.html,1,0,0,1,"
                         "/sched/event_200008/__co-list_cp.xls?event_id=200008,200,x,2026-01-01T00:00:00\n")
    assert download(site, dirs, "--check-csv", str(check_csv)) == 0
    first = read_csv(dirs["logs"] / "result.csv")[0]
    assert download(site, dirs, "--check-csv", str(check_csv)) == 0
    second = read_csv(dirs["logs"] / "result.csv")[0]
    assert site.xlsx_served == 2 and first["SHA256"] != second["SHA256"], "the server wrote other bytes"
    assert (first["Status"], second["Status"]) == ("saved", "unchanged")
    assert second["Reason"] == f"the same cells as {first['Reason']} (other bytes); not saved again"
    assert [p.name for p in dirs["inbox"].glob("*_MeetMax_200008.xls")] == [first["Reason"]]


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_an_interrupted_check_keeps_its_checkpoint_and_resumes(site, dirs, admin, signame):
    import signal
    import subprocess
    import sys
    from conftest import ROOT
    arrived, release = site.hold(PAGE.format(119182))
    env = dict(os.environ, FEEDS_HTTP_PAUSE="0", FEEDS_HTTP_BACKOFF="0")
    proc = subprocess.Popen([sys.executable, "-m", "shims", "meetmax", "check", "--ids", "119179,119181,119182,119183",
                             "--base-url", site.base_url, "--inbox", str(dirs["inbox"]),
                             "--state-dir", str(dirs["state"]), "--timeout", "30"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert arrived.wait(60), "the check reached the third event"
        proc.send_signal(getattr(signal, signame))
        out, err = proc.communicate(timeout=60)
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    [line] = [x for x in err.splitlines() if "interrupted" in x]
    assert "interrupted after 2 of 4 events; checkpoint" in line and "resumes there" in line
    assert out == "" and check_csvs(dirs) == []
    checkpoint = dirs["state"] / meetmax_check.CHECKPOINT_NAME
    assert [r["EventID"] for r in read_csv(checkpoint)] == ["119179", "119181"]
    interrupted, finished = admin.execute(
        "SELECT interrupted_at, finished_at FROM dba.trun WHERE process_type = 'meetmax_check'"
        " ORDER BY started_at DESC LIMIT 1").fetchone()
    assert interrupted is not None and finished == interrupted, "the run is recorded as interrupted"

    site.log.clear()
    assert check(site, dirs, "--ids", "119179,119181,119182,119183") == 0
    assert {p for _, p, _ in site.log} == {PAGE.format(119182), PAGE.format(119183)}, "it resumed"
    assert [r["EventID"] for r in read_csv(check_csvs(dirs)[0])] == ["119179", "119181", "119182", "119183"]


def test_a_check_is_loaded_and_its_lists_downloaded_in_the_same_run(site, meetmax_jobs, tmp_path, admin, etl,
                                                                    monkeypatch, no_downloads):
    """check -> (feeds run: load the check -> download -> convert -> load), and the same list for
    two events is two loads: each event gets its companies."""
    from shims import db as dbm
    from shims import runner
    workdir = meetmax_jobs
    monkeypatch.setenv("FEEDS_WATCH_SETTLE", "0")
    monkeypatch.setenv("FEEDS_MEETMAX_BASE_URL", site.base_url)
    monkeypatch.setenv("FEEDS_HTTP_PAUSE", "0")
    monkeypatch.delenv("FEEDS_SFTP_HOST", raising=False)
    assert meetmax_check.main(["--base-url", site.base_url, "--state-dir", str(tmp_path / "state"), *FAST,
                               "--ids", "200005,200007"]) == 0
    run = str(etl.execute("SELECT dba.start_run('feeds_run')").fetchone()[0])
    log = dbm.RunLog("feeds_run", run)
    try:
        assert runner.pull(log) == []
    finally:
        log.close()
    assert etl.execute("SELECT count(*) FROM meetmax.url_check WHERE event_id IN (200005, 200007)"
                       " AND is_downloadable").fetchone()[0] == 2, "the check was loaded by the pull step"
    lists = sorted(p.name for p in (workdir / "inbox").glob("*_MeetMax_*.xls"))
    assert [re.search(r"_(\d+)\.xls$", n).group(1) for n in lists] == ["200005", "200007"]
    assert (workdir / "inbox" / lists[0]).read_bytes() == (workdir / "inbox" / lists[1]).read_bytes()
    _watch(workdir / "inbox")
    loads = _import(etl, "meetmax_company_list")
    assert sorted(r[2] for r in loads.values()) == ["loaded", "loaded"], "the same list for two events: two loads"
    companies = admin.execute("SELECT event_id, count(*) FROM meetmax.company_list"
                              " WHERE company_name IN ('Copper Ridge Mining', 'Lithium Flats Corp')"
                              " GROUP BY 1 ORDER BY 1").fetchall()
    assert companies == [(200005, 2), (200007, 2)]
