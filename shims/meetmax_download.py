"""feeds meetmax download: download the company lists of downloadable MeetMax events.

    feeds meetmax download                        # events from the database (meetmax.events_to_download)
    feeds meetmax download --check-csv FILE       # events from a check CSV instead
    feeds meetmax download --ids 119179,119183    # only these events

Each list is fetched with its event page as Referer and judged by its content here (an OLE2,
XLSX or SpreadsheetML file, or an HTML page with a table that is not a login, error or "Invalid
Event ID" page); what to do with it is the database's: meetmax.begin_download() refuses a list
under 1 KB, calls the bytes this event already had a duplicate (saved or loaded: the engine's
exactly-once key is the content and the event id of the name), calls a list whose cells (the
converter's CSV) equal the event's last saved list unchanged, and otherwise says to save it. A list
to save goes atomically into the inbox as YYYYMMDDTHHMMSS_MeetMax_<id>.xls (0660) and is
confirmed with meetmax.finish_download(). A result CSV (RESULT_COLUMNS) goes to the log directory
(FEEDS_LOG_DIR, default logs/) or --result-csv.

Exit codes: 0 every list saved, duplicate or unchanged, 1 some list was refused or failed,
2 bad usage, or no way to learn the events (database down and no --check-csv).
"""
from __future__ import annotations

import argparse
import csv
import contextlib
import hashlib
import os
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

import psycopg
from bs4 import BeautifulSoup

from shims import db, sniff, xls_to_csv
from shims.http_fetch import FetchConfig, Fetcher
from shims.meetmax_check import (add_common_arguments, base_url, csv_bytes, is_login, parse_common, place_file,
                                 run_log, says_invalid_event, split_ids, stamped_name)

PROCESS = "meetmax_download"
JOB = "meetmax_company_list"  # the job that loads the lists; its inbox is the default
RESULT_COLUMNS = ["EventID", "DownloadURL", "Status", "Bytes", "SHA256", "ContentKind", "Reason"]
_ERROR_PAGE_RE = re.compile(r"\b(error|not found|access denied|forbidden|session (has )?expired)\b", re.I)


# What MeetMax sends as a company list, by shims/sniff.py's names (a legacy XLS, XLSX, or
# SpreadsheetML 2003); an HTML page is judged by its content below.
LIST_KINDS = ("xls", "xlsx", "spreadsheetml")


def judge(fetched, data: bytes) -> tuple[str, str]:
    """(content kind, reason to refuse or ''). The kind is what shims/sniff.py (the one sniffer)
    calls the bytes: xls, xlsx, spreadsheetml, html, corrupt_zip, zip, pdf, text, binary, …"""
    sniffed = sniff.sniff_bytes(data)
    kind = sniffed.name
    if is_login(fetched):
        return kind, "redirected to a login page"
    if kind == "html":
        soup = BeautifulSoup(data, "html.parser")
        title = " ".join(soup.title.get_text(" ").split()) if soup.title else ""
        if is_login(fetched, soup):
            return kind, "a login page came back instead of the list"
        if says_invalid_event(soup):
            return kind, "the site answered 'Invalid Event ID'"
        if len(soup.find_all("tr")) < 2:
            return kind, f"an HTML page without a company table came back ({title or 'no title'})"[:160]
        if _ERROR_PAGE_RE.search(title):
            return kind, f"an error page came back ({title})"[:160]
    elif kind not in LIST_KINDS:
        if re.search(rb"Invalid\s+Event\s+ID", data[:4096], re.I):
            return kind, "the site answered 'Invalid Event ID'"
        return kind, f"not a spreadsheet: {sniffed.what} (starts with {data[:8]!r})"
    return kind, ""


def events_from_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [{"event_id": int(r["EventID"]), "url": r["URL"], "download_link": r["DownloadLink"]}
                for r in csv.DictReader(f)
                if str(r.get("IsDownloadable", "")).strip().lower() in ("1", "true", "t") and r.get("DownloadLink")]


def events_from_db(conn: psycopg.Connection, only: set[int] | None) -> list[dict]:
    cur = conn.execute("SELECT event_id, url, download_link FROM meetmax.events_to_download(%s)",
                       (sorted(only) if only is not None else None,))
    return [{"event_id": e, "url": u, "download_link": d} for e, u, d in cur]


def cells_digest(data: bytes, kind: str) -> str | None:
    """sha256 of what the converter makes of the list (its cells), or None when it cannot: an XLSX
    written again with new bytes but the same cells has the same digest."""
    if kind not in LIST_KINDS + ("html",):
        return None
    with tempfile.TemporaryDirectory(prefix="feeds-meetmax-") as d:
        src = Path(d) / "list.xls"
        src.write_bytes(data)
        try:
            result = xls_to_csv.convert(src, Path(d) / "list.csv", progress=False)
        except (xls_to_csv.ConvertError, ValueError, OSError):
            return None
        return hashlib.sha256(Path(result.output).read_bytes()).hexdigest()


class Verdicts:
    """Asks the database what to do with each fetched list (meetmax.begin_download) and confirms
    saved ones (meetmax.finish_download). Without a database (a --check-csv run while it is down)
    every list the content judgement keeps is saved; the engine still loads each content once."""

    def __init__(self, conn: psycopg.Connection | None, run_uuid: str | None):
        self.conn, self.run_uuid = conn, run_uuid

    def ask(self, result: dict, cells: str | None, problem: str | None,
            failed: bool = False) -> tuple[int | None, str, str, bool, bool]:
        """(download id, verdict, reason, save it?, fine?): what to do is meetmax.tdownloadstatus's."""
        if self.conn is None:  # no database to ask: the words of meetmax.tdownloadstatus, by hand
            return None, ("failed" if failed else "refused" if problem else "to_save"), problem or "", \
                not (failed or problem), not (failed or problem)
        row = self.conn.execute(
            "SELECT b.download_id, b.status, b.reason, s.to_save, s.is_fine"
            "  FROM meetmax.begin_download(p_run_uuid => %s, p_event_id => %s, p_url => %s, p_bytes => %s,"
            "       p_sha256 => %s, p_content_kind => %s, p_cells_sha256 => %s, p_problem => %s, p_failed => %s) b"
            "  JOIN meetmax.tdownloadstatus s USING (status)",
            (self.run_uuid, result["EventID"], result["DownloadURL"], result["Bytes"] or None,
             result["SHA256"] or None, result["ContentKind"] or None, cells, problem, failed)).fetchone()
        return row[0], row[1], row[2] or "", row[3], row[4]

    def saved(self, download_id: int | None, name: str) -> str:
        """Confirm a saved list; its verdict now (meetmax.finish_download)."""
        if self.conn is None or download_id is None:
            return "saved"  # no database to ask (see ask)
        return self.conn.execute("SELECT status FROM meetmax.finish_download(%s, %s)", (download_id, name)).fetchone()[0]


def download_one(event: dict, fetcher: Fetcher, inbox: Path, verdicts: Verdicts) -> dict:
    eid, link = event["event_id"], event["download_link"]
    result = {"EventID": eid, "DownloadURL": link, "Status": "", "Bytes": "", "SHA256": "",
              "ContentKind": "", "Reason": ""}
    fetched = fetcher.get(link, referer=event.get("url") or None)
    r = fetched.response
    if r is None or fetched.error is not None or r.status_code != 200:
        reason = fetched.error or f"HTTP {r.status_code}"
        _, status, reason, _save, fine = verdicts.ask(result, None, reason, failed=True)
        result.update(Status=status, Reason=reason, fine=fine)
        return result
    data = r.content
    kind, problem = judge(fetched, data)
    result.update(Bytes=len(data), SHA256=hashlib.sha256(data).hexdigest(), ContentKind=kind)
    download_id, status, reason, save, fine = verdicts.ask(result, None if problem else cells_digest(data, kind),
                                                           problem or None)
    if save:
        name = stamped_name(inbox, f"_MeetMax_{eid}.xls")
        place_file(inbox, name, data)
        status, reason = verdicts.saved(download_id, name), name
    result.update(Status=status, Reason=reason, fine=fine)  # fine: not a CSV column
    return result


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="feeds meetmax download", description=__doc__.split("\n\n")[0])
    p.add_argument("--check-csv", help="read downloadable events from this check CSV, not the database")
    p.add_argument("--ids", help="only these event ids (comma-separated)")
    p.add_argument("--result-csv", help="result CSV path (default <log dir>/YYYYMMDDTHHMMSS_MeetMaxDownload.csv)")
    add_common_arguments(p)
    return p


def main(argv: list[str]) -> int:
    parsed = parse_common(build_parser(), argv, JOB)
    if isinstance(parsed, int):
        return parsed
    args, inbox, config, problem = parsed
    try:
        only = set(split_ids(args.ids)) if args.ids else None
    except ValueError:
        problem = problem or f"--ids must be comma-separated integers, not {args.ids!r}"
    if problem:
        print(f"feeds meetmax download: {problem}", file=sys.stderr)
        return 2

    with run_log(PROCESS, args.run_uuid) as log:
        return _run(args, inbox, config, only, log)


def _run(args, inbox: Path, config: FetchConfig, only: set[int] | None, log: db.RunLog,
         bad: list[dict] | None = None) -> int:
    conn = None
    with contextlib.suppress(psycopg.OperationalError):
        conn = db.connect(retries=0 if args.check_csv else None)
    try:
        if args.check_csv:
            events = events_from_csv(Path(args.check_csv))
            if only is not None:
                events = [e for e in events if e["event_id"] in only]
        elif conn is None:
            raise psycopg.OperationalError("the database cannot be reached")
        else:
            events = events_from_db(conn, only)
    except (OSError, KeyError, ValueError) as e:
        print(f"feeds meetmax download: cannot read {args.check_csv}: {e}", file=sys.stderr)
        return 2
    except psycopg.Error as e:
        log.log(f"cannot read the events to download (meetmax.events_to_download): {db.describe(e)}", "error")
        print(f"feeds meetmax download: cannot read meetmax.url_check: {db.describe(e)}", file=sys.stderr)
        print("  way out: pass --check-csv FILE with a check CSV", file=sys.stderr)
        return 2
    try:
        return _download(args, inbox, config, events, Verdicts(conn, log.run_uuid), log, [] if bad is None else bad)
    finally:
        if conn is not None:
            conn.close()


def _download(args, inbox: Path, config: FetchConfig, events: list[dict], verdicts: Verdicts, log: db.RunLog,
              bad: list[dict]) -> int:
    base = base_url(args.base_url)
    for e in events:  # a check CSV written by hand may carry root-relative links
        if e["download_link"].startswith("/"):
            e["download_link"] = base + e["download_link"]
    if verdicts.conn is None:
        log.log("the database cannot be reached: every list that is a real list is saved "
                "(the engine still loads each content once)", "warning")
    fetcher = Fetcher(config, log=lambda m, level="info": log.log(m, level))
    log.log(f"downloading {len(events)} MeetMax company lists into {inbox}")
    results = []
    for event in events:
        res = download_one(event, fetcher, inbox, verdicts)
        results.append(res)
        log.log(f"event {res['EventID']}: {res['Status']} {res['Reason']}".rstrip(),
                "info" if res["fine"] else "warning")

    logs = db.fallback_dir()
    out = Path(args.result_csv) if args.result_csv else logs / stamped_name(logs, "_MeetMaxDownload.csv")
    place_file(out.parent, out.name, csv_bytes(RESULT_COLUMNS, results))
    bad += [r for r in results if not r["fine"]]
    counts = Counter(r["Status"] for r in results)
    log.log(f"wrote {out}: {len(results)} lists" + "".join(f", {n} {s}" for s, n in counts.items())
            + "".join(f"; {r['EventID']}: {r['Reason']}" for r in bad),
            "warning" if bad else "info")
    print(out)
    return 1 if bad else 0


def load_waiting_checks(run_uuid: str, log: db.RunLog) -> None:
    """Check CSVs waiting in the inbox of meetmax_url_check are loaded first (watcher, then
    dba.run_import for that job, under the caller's run), so that this run downloads the lists the
    latest check found: check -> load the check -> download -> convert -> load, in one run."""
    from shims import file_watcher
    from shims.meetmax_check import JOB as CHECK_JOB, inbox_dir
    inbox = inbox_dir(None, CHECK_JOB)
    if inbox is None or not any(inbox.glob("*_MeetMaxURLCheck.csv")):
        return
    handle = db.Db()
    try:
        file_watcher.watch_once(handle, log.child("file_watcher"), inboxes=[str(inbox)])
        for name, status, message, level in handle.call(
                "SELECT i.file_name, i.status, i.message, coalesce(s.log_level, 'info')"
                " FROM dba.run_import(p_job => %s, p_run_uuid => %s) WITH ORDINALITY i"
                " LEFT JOIN dba.tloadstatus s USING (status) ORDER BY i.ordinality",
                (CHECK_JOB, run_uuid)):
            log.log(f"check {name} loaded before the download: {status} {message or ''}".rstrip(), level)
    finally:
        handle.close()


def pull_for_run(run_uuid: str, log: db.RunLog) -> int | str:
    """The pull step of `feeds run`: when FEEDS_MEETMAX_BASE_URL says where the site is, load the
    check CSVs waiting in the inbox, then download under the runner's run, into the job's inbox.
    Refused lists are logged (which, and why), not raised: they are the site's answer, and the run
    goes on to import what is here. Returns 0, 2 (not configured right), or what failed, in words."""
    if not os.environ.get("FEEDS_MEETMAX_BASE_URL"):
        log.log("pull meetmax_download: not configured (FEEDS_MEETMAX_BASE_URL is not set); skipped")
        return 0
    parsed = parse_common(build_parser(), [], JOB)
    args, inbox, config, problem = parsed
    if problem:
        log.log(f"pull meetmax_download: {problem}", "error")
        return 2
    with contextlib.suppress(psycopg.Error):
        load_waiting_checks(run_uuid, log)
    bad: list[dict] = []
    rc = _run(args, inbox, config, None, log, bad)
    if rc == 1 and bad:
        return refusals(bad)
    return rc


def refusals(bad: list[dict]) -> str:
    """'2 lists refused: event 119183 (…), event 119188 (…)' for the lists not saved, by verdict."""
    by_verdict: dict[str, list[dict]] = {}
    for r in bad:
        by_verdict.setdefault(r["Status"], []).append(r)
    parts = [f"{len(rows)} list{'s' if len(rows) > 1 else ''} {verdict}: "
             + ", ".join(f"event {r['EventID']} ({r['Reason']})" for r in rows)
             for verdict, rows in by_verdict.items()]
    return "; ".join(parts)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
