"""feeds meetmax check: find which MeetMax events exist, are private, and offer a company list.

    feeds meetmax check --from 119179 --to 119184
    feeds meetmax check --ids 119179,119183 --pause 10

For each event id the public company-list page is fetched and decided on (see docs/meetmax.md);
one row per event goes to a CSV with the columns of CSV_COLUMNS. The CSV is checkpointed every
--checkpoint-every events to <state dir>/meetmax_check.partial.csv; a new run with overlapping ids
reuses the rows already there (--fresh ignores them). The final CSV lands atomically in the inbox as
YYYYMMDDTHHMMSS_MeetMaxURLCheck.csv (0660, group etl_group when it exists). <state dir> is
--state-dir, else FEEDS_STATE_DIR, else var/state.

Ctrl-C or SIGTERM writes the checkpoint, says one line, records the run as interrupted
(dba.interrupt_run) and exits 130; the next run with those ids resumes there.

Exit codes: 0 every event was decided, 1 at least one event ended in an error (or is still rate
limited), 2 bad usage, 130 interrupted.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import io
import os
import re
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

import psycopg
from bs4 import BeautifulSoup

from shims import db, fsutil
from shims.db import ROOT, RunLog
from shims.http_fetch import Fetched, FetchConfig, Fetcher, is_cloudflare_rate_limit

PROCESS = "meetmax_check"
JOB = "meetmax_url_check"  # the job that loads the CSV; its inbox is the default
DEFAULT_BASE_URL = "https://www.meetmax.com"
CSV_COLUMNS = ["EventID", "URL", "IfExists", "IsPrivate", "InvalidEventID", "IsDownloadable",
               "DownloadLink", "StatusCode", "Title", "CheckedAt"]
CHECKPOINT_NAME = "meetmax_check.partial.csv"
_LOGIN_RE = re.compile(r"/(login|signin|sign-in|logon)\b", re.I)
_TITLE_SUFFIX_RE = re.compile(r"\s*[-–|]\s*MeetMax\s*$", re.I)
_INVALID_RE = re.compile(r"Invalid\s+Event\s+ID", re.I)
LOGIN_REQUIRED = "[login required]"
RATE_LIMITED = "[rate limited]"


# --- shared by the MeetMax shims ---------------------------------------------------------------

def base_url(arg: str | None) -> str:
    return (arg or os.environ.get("FEEDS_MEETMAX_BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def inbox_dir(arg: str | None, job: str) -> Path | None:
    """--inbox, else FEEDS_INBOX, else the inbox of the job that takes the files (asked of the database)."""
    value = arg or os.environ.get("FEEDS_INBOX")
    if not value:
        with contextlib.suppress(psycopg.Error):
            with db.connect(retries=0) as conn:
                row = conn.execute("SELECT inbox_dir FROM dba.timportconfig WHERE job_name = %s AND enabled",
                                   (job,)).fetchone()
                value = row[0] if row else None
    return Path(value) if value else None


def state_dir(arg: str | None) -> Path:
    return Path(arg or os.environ.get("FEEDS_STATE_DIR") or ROOT / "var" / "state")


def split_ids(text: str) -> list[int]:
    """'1, 2 3' -> [1, 2, 3]; ValueError for anything that is not a positive integer."""
    ids = [int(x) for x in re.split(r"[,\s]+", text.strip()) if x]
    if not ids or any(i <= 0 for i in ids):
        raise ValueError("event ids are positive integers")
    return ids


def add_common_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--base-url", help=f"site root (FEEDS_MEETMAX_BASE_URL, default {DEFAULT_BASE_URL})")
    p.add_argument("--inbox", help="where the files go (FEEDS_INBOX)")
    p.add_argument("--state-dir", help="where the check keeps its checkpoint (FEEDS_STATE_DIR, default var/state)")
    p.add_argument("--run-uuid", help="log under this run (dba.start_run) instead of a run of its own")
    FetchConfig.add_arguments(p)


def parse_common(parser: argparse.ArgumentParser, argv: list[str], job: str):
    """(args, inbox, fetch config, problem or None); exit code 0/2 instead of args for --help/bad usage."""
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return 0 if e.code == 0 else 2
    inbox = inbox_dir(args.inbox, job)
    config = FetchConfig.from_args(args)
    problem = config.check() or (None if inbox else
                                 f"no inbox: pass --inbox, set FEEDS_INBOX, or create the job {job} (etc/jobs/meetmax.sql)")
    return args, inbox, config, problem


def event_page_url(base: str, event_id: int) -> str:
    """The public company-list page of an event (a private event links from it to its private page)."""
    return f"{base}/sched/event_{event_id}/__co-list_cp.html"


def timestamp() -> str:
    return dt.datetime.now().strftime("%Y%m%dT%H%M%S")


def stamped_name(directory: Path, suffix: str) -> str:
    """YYYYMMDDTHHMMSS<suffix>, not yet taken in directory: waits for the next second rather than
    overwrite a file of the same second that the watcher has not taken yet."""
    while (directory / (name := timestamp() + suffix)).exists():
        time.sleep(0.2)
    return name


class Interrupted(Exception):
    """Ctrl-C or SIGTERM stopped a shim; the message says what was kept and how to go on."""


@contextlib.contextmanager
def stop_on_signals():
    """SIGTERM raises KeyboardInterrupt as Ctrl-C does, for the time of the block (main thread)."""
    def _term(signum, frame):
        raise KeyboardInterrupt
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _term)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def run_log(process: str, run_uuid: str | None):
    """A RunLog for this shim: under the caller's run, else a run of its own (dba.start_run,
    finished at the end, or dba.interrupt_run when the shim was interrupted), logging as the
    database role; when the database is down, a fresh uuid and the fallback CSV."""
    own = None
    with contextlib.suppress(psycopg.Error):
        with db.connect(retries=0) as conn:
            if run_uuid is None:
                own = run_uuid = str(conn.execute("SELECT dba.start_run(%s)", (process,)).fetchone()[0])
    log = RunLog(process, run_uuid=run_uuid, echo=sys.stderr)  # lines name the database role (shims/logs.py)
    ending = ("SELECT dba.finish_run(%s)", (own,))
    try:
        yield log
    except Interrupted as e:
        ending = ("SELECT dba.interrupt_run(%s, %s)", (own, str(e)))
        raise
    finally:
        if own is not None and log.conn is not None and not log.conn.closed:
            with contextlib.suppress(psycopg.Error):
                log.conn.execute(*ending)
        log.close()


def place_file(directory: Path, name: str, data: bytes) -> Path:
    """Write data to directory/name atomically (dot-named temporary file, fsync, 0660 etl_group,
    rename): a watcher never sees a half-written file under the final name."""
    fsutil.ensure_dir(directory)
    with fsutil.atomic_writer(directory / name, "wb") as f:
        f.write(data)
    return directory / name


def csv_bytes(columns: list[str], rows: list[dict]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def clean_link(page_url: str, href: str) -> str:
    """Resolve href against the page and cut session extras after ';' (in path and query)."""
    parts = urlsplit(urljoin(page_url, href.strip()))
    return urlunsplit((parts.scheme, parts.netloc, parts.path.split(";", 1)[0],
                       parts.query.split(";", 1)[0], ""))


def is_login(fetched: Fetched, soup: BeautifulSoup | None = None) -> bool:
    """Redirected to a login URL, or a page whose form asks for a password."""
    r = fetched.response
    if r is None:
        return False
    if r.history and _LOGIN_RE.search(urlsplit(r.url).path):
        return True
    return soup is not None and soup.find("input", attrs={"type": re.compile(r"^password$", re.I)}) is not None


def soup_of(fetched: Fetched) -> BeautifulSoup:
    return BeautifulSoup(fetched.response.content, "html.parser")


def says_invalid_event(soup: BeautifulSoup) -> bool:
    return soup.find(string=_INVALID_RE) is not None


# --- deciding one event ------------------------------------------------------------------------

def _href_matches(pattern: str):
    rx = re.compile(pattern, re.I)
    return lambda href: bool(href) and bool(rx.search(href.split("?", 1)[0].split(";", 1)[0]))


_PRIVATE_NAV = _href_matches(r"__private-co-list_cp\.html$")
_XLS_LINK = _href_matches(r"__(private-)?co-list_cp\.xls")


def title_of(soup: BeautifulSoup) -> str:
    t = soup.find("title")
    text = " ".join(t.get_text(" ").split()) if t else ""
    return _TITLE_SUFFIX_RE.sub("", text)


def _usable(href: str | None) -> bool:
    """A link that leads somewhere: not empty, not a fragment ('#', '#top'), not javascript:."""
    href = (href or "").strip()
    return bool(href) and not href.startswith("#") and not href.lower().startswith("javascript:")


def conventional_list_url(page_url: str, event_id: int) -> str:
    """The list beside its page: …__co-list_cp.xls, or …__private-co-list_cp.xls for a private page,
    with ?event_id=<id>, as the site's own export links are."""
    name = "__private-co-list_cp.xls" if "__private-co-list_cp" in page_url else "__co-list_cp.xls"
    return clean_link(page_url, f"{name}?event_id={event_id}")


def download_link(page_url: str, soup: BeautifulSoup, event_id: int) -> str | None:
    """An <a> whose href names the .xls list, else the export button (id="export"): its usable
    link, or, when it carries none (no link, '#', 'javascript:'), the conventional list URL."""
    a = soup.find("a", href=_XLS_LINK)
    if a is not None:
        return clean_link(page_url, a["href"])
    button = soup.find(id=re.compile(r"^export$", re.I))
    if button is None:
        return None
    for attr in ("href", "data-href", "data-url", "formaction"):
        if _usable(button.get(attr)):
            return clean_link(page_url, button[attr])
    onclick = button.get("onclick") or ""
    m = re.search(r"""['"]([^'"]*\.xlsx?[^'"]*)['"]""", onclick)
    if m:
        return clean_link(page_url, m.group(1))
    form = button.find_parent("form")
    if form is not None and _usable(form.get("action")):
        return clean_link(page_url, form["action"])
    return conventional_list_url(page_url, event_id)


def decide(event_id: int, base: str, fetcher: Fetcher) -> dict:
    """One CSV row for one event."""
    url = event_page_url(base, event_id)
    row = {"EventID": event_id, "URL": url, "IfExists": "", "IsPrivate": "", "InvalidEventID": "",
           "IsDownloadable": "", "DownloadLink": "", "StatusCode": "", "Title": ""}
    fetched = fetcher.get(url)
    soup = None
    r = fetched.response
    if r is not None and r.status_code == 200 and fetched.error is None:
        soup = soup_of(fetched)
        nav = soup.find("a", href=_PRIVATE_NAV)
        if nav is not None and not says_invalid_event(soup) and not is_login(fetched):
            # The event is private: the private list page is the one that counts.
            row["IsPrivate"] = 1
            url = row["URL"] = clean_link(r.url, nav["href"])
            fetched = fetcher.get(url, referer=r.url)
            r = fetched.response
            soup = soup_of(fetched) if r is not None and r.status_code == 200 and fetched.error is None else None
    _fill(row, fetched, soup)
    # UTC, without an offset: the engine's ISO parser takes none, and UTC keeps it unambiguous.
    row["CheckedAt"] = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(timespec="seconds")
    return row


def _fill(row: dict, fetched: Fetched, soup: BeautifulSoup | None) -> None:
    """Fill what the answer tells. A login or rate-limit page tells nothing about the event:
    IfExists, IsPrivate, InvalidEventID and IsDownloadable stay empty, the Title says why (only
    a public page that linked to the private one has told that the event exists and is private)."""
    r = fetched.response
    if r is not None:
        row["StatusCode"] = r.history[0].status_code if r.history else r.status_code
    private = row["IsPrivate"] == 1
    unknown = dict(IfExists=1 if private else "", IsPrivate=1 if private else "", InvalidEventID=0 if private else "",
                   IsDownloadable="", DownloadLink="")
    if is_login(fetched):  # redirected to a login URL
        row.update(unknown, Title=LOGIN_REQUIRED)
        return
    if r is not None and (r.status_code == 429 or is_cloudflare_rate_limit(r)):
        row.update(unknown, Title=RATE_LIMITED)
        return
    if fetched.error is not None or r is None:
        row["Title"] = f"[error: {fetched.error or 'no response'}]"
        return
    if r.status_code == 404:
        row.update(IfExists=0, IsPrivate=0, InvalidEventID=0, IsDownloadable=0, Title="[not found]")
        return
    if r.status_code != 200 or soup is None:
        row["Title"] = f"[error: HTTP {r.status_code}]"
        return
    if says_invalid_event(soup):
        row.update(IfExists=0, IsPrivate=0, InvalidEventID=1, IsDownloadable=0, Title=title_of(soup))
        return
    link = download_link(r.url, soup, int(row["EventID"]))
    if link is None and is_login(fetched, soup):  # a login form in place of the list
        row.update(unknown, Title=LOGIN_REQUIRED)
        return
    row.update(IfExists=1, IsPrivate=row["IsPrivate"] or 0, InvalidEventID=0,
               IsDownloadable=int(link is not None), DownloadLink=link or "", Title=title_of(soup))


def is_error_row(row: dict) -> bool:
    """An event to try again: no answer, or still rate limited (a login page is an answer)."""
    return str(row.get("Title", "")).startswith(("[error", RATE_LIMITED))


# --- the run -----------------------------------------------------------------------------------

def parse_ids(args: argparse.Namespace) -> list[int]:
    if args.ids:
        return list(dict.fromkeys(split_ids(args.ids)))
    else:
        if args.first is None or args.last is None:
            raise ValueError("give --from and --to, or --ids")
        if args.last < args.first:
            raise ValueError(f"--to {args.last} is below --from {args.first}")
        if args.first <= 0:
            raise ValueError("event ids are positive integers")
        return list(range(args.first, args.last + 1))


def read_checkpoint(path: Path, wanted: set[int]) -> dict[int, dict]:
    """Rows of an interrupted run for the ids asked for now (errors are tried again)."""
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        rows = {}
        for row in csv.DictReader(f):
            try:
                eid = int(row["EventID"])
            except (KeyError, ValueError):
                continue
            if eid in wanted and not is_error_row(row):
                rows[eid] = row
        return rows


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="feeds meetmax check", description=__doc__.split("\n\n")[0])
    p.add_argument("--from", dest="first", type=int, help="first event id")
    p.add_argument("--to", dest="last", type=int, help="last event id (inclusive)")
    p.add_argument("--ids", help="comma-separated event ids instead of a range")
    p.add_argument("--checkpoint-every", type=int, default=10, help="events between checkpoints (10)")
    p.add_argument("--fresh", action="store_true", help="ignore the checkpoint of an interrupted run")
    p.add_argument("--max-workers", type=int, default=1, help="parallel requests (1; be kind)")
    add_common_arguments(p)
    return p


def main(argv: list[str]) -> int:
    parsed = parse_common(build_parser(), argv, JOB)
    if isinstance(parsed, int):
        return parsed
    args, inbox, config, problem = parsed
    try:
        ids = parse_ids(args)
    except ValueError as e:
        problem = problem or str(e)
        ids = []
    if problem is None and (args.max_workers < 1 or args.checkpoint_every < 1):
        problem = "--max-workers and --checkpoint-every must be at least 1"
    if problem:
        print(f"feeds meetmax check: {problem}", file=sys.stderr)
        return 2

    try:
        with run_log(PROCESS, args.run_uuid) as log:
            return _run(args, ids, inbox, config, log)
    except Interrupted:
        return 130


def _decide_all(todo: list[int], base: str, fetcher: Fetcher, workers: int):
    """The rows in the order of todo; one worker decides in this thread, so Ctrl-C stops it at once."""
    if workers == 1:
        yield from (decide(i, base, fetcher) for i in todo)
        return
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        yield from pool.map(lambda i: decide(i, base, fetcher), todo)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _run(args, ids: list[int], inbox: Path, config: FetchConfig, log: RunLog) -> int:
    base = base_url(args.base_url)
    fetcher = Fetcher(config, log=lambda m, level="info": log.log(m, level))
    checkpoint = state_dir(args.state_dir) / CHECKPOINT_NAME
    done = {} if args.fresh else read_checkpoint(checkpoint, set(ids))
    todo = [i for i in ids if i not in done]
    log.log(f"checking {len(ids)} MeetMax events at {base} ({len(done)} from the checkpoint)")

    def save_checkpoint():
        place_file(checkpoint.parent, checkpoint.name,
                   csv_bytes(CSV_COLUMNS, [done[i] for i in ids if i in done]))

    since = 0
    try:
        with stop_on_signals():
            for row in _decide_all(todo, base, fetcher, args.max_workers):
                done[row["EventID"]] = row
                since += 1
                if since >= args.checkpoint_every:
                    save_checkpoint()
                    since = 0
    except KeyboardInterrupt:
        save_checkpoint()
        message = (f"interrupted after {len(done)} of {len(ids)} events; checkpoint {checkpoint} written, "
                   f"the next run with these ids resumes there")
        log.log(message, "warning")
        raise Interrupted(message) from None
    rows = [done[i] for i in ids]
    name = stamped_name(inbox, "_MeetMaxURLCheck.csv")
    final = place_file(inbox, name, csv_bytes(CSV_COLUMNS, rows))
    checkpoint.unlink(missing_ok=True)

    errors = [r for r in rows if is_error_row(r)]
    found = sum(1 for r in rows if str(r["IfExists"]) == "1")
    downloadable = sum(1 for r in rows if str(r["IsDownloadable"]) == "1")
    log.log(f"wrote {final}: {len(rows)} events, {found} exist, {downloadable} downloadable, {len(errors)} errors",
            "warning" if errors else "info")
    for r in errors:
        log.log(f"event {r['EventID']}: {r['Title']}", "error")
    print(final)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
