"""feeds meetmax download: download the company lists of downloadable MeetMax events.

    feeds meetmax download                        # events from meetmax.url_check (the database)
    feeds meetmax download --check-csv FILE       # events from a check CSV instead
    feeds meetmax download --ids 119179,119183    # only these events

Each list is fetched with its event page as Referer and judged by its content: an OLE2 (legacy
XLS) or zip (XLSX) file is kept; an HTML file is kept only when it holds a table and is not a
login, error or "Invalid Event ID" page; anything under 1 KB is refused. A kept list is saved
atomically into the inbox as YYYYMMDDTHHMMSS_MeetMax_<id>.xls (0660), unless the same content
(sha256) was saved before (<state dir>/meetmax_downloads.csv remembers what was). A result CSV
(RESULT_COLUMNS) goes to the log directory (FEEDS_LOG_DIR, default logs/) or --result-csv.

Exit codes: 0 every list saved or skipped as a duplicate, 1 some list was refused or failed,
2 bad usage, or no way to learn the events (database down and no --check-csv).
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import os
import re
import sys
from pathlib import Path

import psycopg
from bs4 import BeautifulSoup

from shims import db
from shims.http_fetch import FetchConfig, Fetcher
from shims.meetmax_check import (add_common_arguments, base_url, csv_bytes, is_login, parse_common, place_file,
                                 run_log, says_invalid_event, split_ids, stamped_name, state_dir)

PROCESS = "meetmax_download"
JOB = "meetmax_company_list"  # the job that loads the lists; its inbox is the default
RESULT_COLUMNS = ["EventID", "DownloadURL", "Status", "Bytes", "SHA256", "ContentKind", "Reason"]
MANIFEST_NAME = "meetmax_downloads.csv"
MANIFEST_COLUMNS = ["EventID", "SHA256", "FileName", "SavedAt"]
MIN_BYTES = 1024
_ERROR_PAGE_RE = re.compile(r"\b(error|not found|access denied|forbidden|session (has )?expired)\b", re.I)


def content_kind(data: bytes) -> str:
    """ole2 (legacy .xls), xlsx (zip with [Content_Types].xml), zip, spreadsheetml (Excel 2003 XML),
    html, or unknown."""
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx" if b"[Content_Types].xml" in data[:65536] or b"xl/" in data else "zip"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head and b"<workbook" in head:
        return "spreadsheetml"
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml", b"<head", b"<body", b"<meta")) \
            or b"<html" in head or b"<table" in head:
        return "html"
    return "unknown"


def judge(fetched, data: bytes) -> tuple[str, str]:
    """(content kind, reason to refuse or '')."""
    kind = content_kind(data)
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
    elif kind not in ("ole2", "xlsx", "spreadsheetml"):
        if re.search(rb"Invalid\s+Event\s+ID", data[:4096], re.I):
            return kind, "the site answered 'Invalid Event ID'"
        return kind, f"not a spreadsheet (starts with {data[:8]!r})"
    if len(data) < MIN_BYTES:
        return kind, f"only {len(data)} bytes (under {MIN_BYTES}); not a real list"
    return kind, ""


def events_from_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [{"event_id": int(r["EventID"]), "url": r["URL"], "download_link": r["DownloadLink"]}
                for r in csv.DictReader(f)
                if str(r.get("IsDownloadable", "")).strip().lower() in ("1", "true", "t") and r.get("DownloadLink")]


def events_from_db() -> list[dict]:
    with db.connect() as conn:
        cur = conn.execute("SELECT event_id, url, download_link FROM meetmax.url_check"
                           " WHERE is_downloadable AND download_link IS NOT NULL ORDER BY event_id")
        return [{"event_id": e, "url": u, "download_link": d} for e, u, d in cur]


def read_manifest(path: Path) -> set[str]:
    if not path.exists():
        return set()
    with open(path, newline="", encoding="utf-8") as f:
        return {r["SHA256"] for r in csv.DictReader(f)}


def append_manifest(path: Path, row: dict) -> None:
    rows = []
    if path.exists():
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    place_file(path.parent, path.name, csv_bytes(MANIFEST_COLUMNS, rows + [row]))


def download_one(event: dict, fetcher: Fetcher, inbox: Path, manifest: Path, seen: set[str]) -> dict:
    eid, link = event["event_id"], event["download_link"]
    result = {"EventID": eid, "DownloadURL": link, "Status": "", "Bytes": "", "SHA256": "",
              "ContentKind": "", "Reason": ""}
    fetched = fetcher.get(link, referer=event.get("url") or None)
    r = fetched.response
    if r is None or fetched.error is not None or r.status_code != 200:
        result.update(Status="failed", Reason=fetched.error or f"HTTP {r.status_code}")
        return result
    data = r.content
    digest = hashlib.sha256(data).hexdigest()
    kind, reason = judge(fetched, data)
    result.update(Bytes=len(data), SHA256=digest, ContentKind=kind)
    if reason:
        result.update(Status="refused", Reason=reason)
        return result
    if digest in seen:
        result.update(Status="duplicate", Reason="the same content was downloaded before")
        return result
    name = stamped_name(inbox, f"_MeetMax_{eid}.xls")
    place_file(inbox, name, data)
    seen.add(digest)
    append_manifest(manifest, {"EventID": eid, "SHA256": digest, "FileName": name,
                               "SavedAt": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})
    result.update(Status="saved", Reason=name)
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


def _run(args, inbox: Path, config: FetchConfig, only: set[int] | None, log: db.RunLog) -> int:
    try:
        events = events_from_csv(Path(args.check_csv)) if args.check_csv else events_from_db()
    except (OSError, KeyError, ValueError) as e:
        print(f"feeds meetmax download: cannot read {args.check_csv}: {e}", file=sys.stderr)
        return 2
    except psycopg.Error as e:
        log.log(f"cannot read meetmax.url_check: {db.describe(e)}", "error")
        print(f"feeds meetmax download: cannot read meetmax.url_check: {db.describe(e)}", file=sys.stderr)
        print("  way out: pass --check-csv FILE with a check CSV", file=sys.stderr)
        return 2
    if only is not None:
        events = [e for e in events if e["event_id"] in only]
    base = base_url(args.base_url)
    for e in events:  # a check CSV written by hand may carry root-relative links
        if e["download_link"].startswith("/"):
            e["download_link"] = base + e["download_link"]

    fetcher = Fetcher(config, log=lambda m, level="info": log.log(m, level))
    manifest = state_dir(args.state_dir) / MANIFEST_NAME
    seen = read_manifest(manifest)
    log.log(f"downloading {len(events)} MeetMax company lists into {inbox}")
    results = []
    for event in events:
        res = download_one(event, fetcher, inbox, manifest, seen)
        results.append(res)
        level = {"saved": "info", "duplicate": "info"}.get(res["Status"], "warning")
        log.log(f"event {res['EventID']}: {res['Status']} {res['Reason']}".rstrip(), level)

    logs = db.fallback_dir()
    out = Path(args.result_csv) if args.result_csv else logs / stamped_name(logs, "_MeetMaxDownload.csv")
    place_file(out.parent, out.name, csv_bytes(RESULT_COLUMNS, results))
    bad = [r for r in results if r["Status"] not in ("saved", "duplicate")]
    log.log(f"wrote {out}: {len(results)} lists, {len(results) - len(bad)} saved or duplicate, {len(bad)} not",
            "warning" if bad else "info")
    print(out)
    return 1 if bad else 0


def pull_for_run(run_uuid: str, log: db.RunLog) -> int:
    """The pull step of `feeds run`: download under the runner's run, into the job's inbox, when
    FEEDS_MEETMAX_BASE_URL says where the site is. Refused lists are logged, not raised: they
    are the site's answer, and the run goes on to import what is here."""
    if not os.environ.get("FEEDS_MEETMAX_BASE_URL"):
        log.log("pull meetmax_download: not configured (FEEDS_MEETMAX_BASE_URL is not set); skipped")
        return 0
    parsed = parse_common(build_parser(), [], JOB)
    args, inbox, config, problem = parsed
    if problem:
        log.log(f"pull meetmax_download: {problem}", "error")
        return 2
    return _run(args, inbox, config, None, log)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
