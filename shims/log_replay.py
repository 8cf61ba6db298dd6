"""`feeds logs replay [--dir DIR]`: load the fallback log files into dba.tlogentry.

When the database cannot be reached, the shims write their log lines to
logs/feeds_fallback_YYYYMMDD.csv (0660). This replays every such file through
dba.log(p_logged_at => when it happened, p_entry_uuid => the line's identity): a line already in
the table is not inserted again, so replaying is safe however often it runs (cron may run it
before every run). Files stay where they are; delete old ones at will once replayed.

Exit codes: 0 every line is in the table, 1 the database is unreachable or refused a line.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
import uuid
from pathlib import Path

import psycopg

from shims import db as dbm
from shims import logs

err = logs.cli("feeds logs replay")


def fallback_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("feeds_fallback_*.csv"))


def read_lines(path: Path, bad: list[str]):
    """The well-formed lines of one fallback file; the others (a line cut short by a crash, a
    hand-edited value) are described in `bad` and skipped."""
    with open(path, newline="", encoding="utf-8", errors="replace") as f:
        for row in csv.DictReader(f):
            if row.get("entry_uuid") == "entry_uuid":
                continue  # a second header, written by two shims starting the file at once
            try:
                uuid.UUID(row.get("entry_uuid") or "")
                uuid.UUID(row.get("run_uuid") or "")
                dt.datetime.fromisoformat(row.get("logged_at") or "")
                if not row.get("process_type") or row.get("message") is None:
                    raise ValueError("process type or message missing")
                if row.get("load_id"):
                    int(row["load_id"])
            except (ValueError, TypeError) as e:
                bad.append(f"{path.name}: a malformed line skipped ({e}): {dict(row)}")
                continue
            yield row


def replay(db: dbm.Db, directory: Path | None = None, bad: list[str] | None = None) -> tuple[int, int]:
    """Replay every fallback file; return (lines seen, lines newly inserted). Lines that cannot be
    replayed are described in `bad` and the others still go in."""
    directory = directory or logs.fallback_dir()
    bad = [] if bad is None else bad
    seen = new = 0
    for path in fallback_files(directory):
        rows = list(read_lines(path, bad))
        if not rows:
            continue
        present = {str(r[0]) for r in db.call("SELECT entry_uuid FROM dba.tlogentry WHERE entry_uuid = ANY(%s::uuid[])",
                                              ([r["entry_uuid"] for r in rows],))}
        for r in rows:
            seen += 1
            if r["entry_uuid"] in present:
                continue
            try:
                db.call("SELECT dba.log(p_run_uuid => %s, p_process_type => %s, p_message => %s, p_level => %s,"
                        " p_load_id => %s, p_user_name => %s, p_logged_at => %s, p_entry_uuid => %s)",
                        (r["run_uuid"], r["process_type"], r["message"], r.get("level") or "info",
                         int(r["load_id"]) if r.get("load_id") else None, r.get("user_name") or None,
                         r["logged_at"], r["entry_uuid"]))
            except psycopg.OperationalError:
                raise
            except psycopg.Error as e:
                bad.append(f"{path.name}: dba.log refused a line: {dbm.describe(e)}")
                continue
            new += 1
    return seen, new


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="feeds logs replay", description="Load fallback log files into dba.tlogentry "
                                "(each line once, however often it runs).")
    p.add_argument("--dir", type=Path, default=None, help="directory of the fallback files (default logs/)")
    args = p.parse_args(argv)
    db = dbm.Db()
    bad: list[str] = []
    try:
        seen, new = replay(db, args.dir, bad)
    except psycopg.Error as e:
        err.error(dbm.describe(e))
        return 1
    finally:
        db.close()
    for line in bad:
        err.error(line)
    print(f"replayed {new} new log line(s); {seen - new} were already in dba.tlogentry"
          + (f"; {len(bad)} could not be replayed" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
