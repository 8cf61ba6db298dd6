"""`feeds status [--limit N] [--run UUID] [--job NAME]`: the latest loads as a table.

Columns: load, file, job, status, rows (read), loaded (inserted + updated), rejects, when.
"""
from __future__ import annotations

import argparse
import sys

import psycopg

from shims import db as dbm

HEADERS = ["load", "file", "job", "status", "rows", "loaded", "rejects", "when"]


def fetch(db: dbm.Db, limit: int = 20, run: str | None = None, job: str | None = None) -> list[tuple]:
    return db.call(
        "SELECT load_id, file_name, job_name, dba.load_outcome(d), rows_read, rows_inserted + rows_updated,"
        "       rows_rejected, to_char(coalesce(finished_at, started_at), 'YYYY-MM-DD HH24:MI:SS')"
        "  FROM dba.tdataloads d"
        " WHERE (%(run)s::uuid IS NULL OR run_uuid = %(run)s::uuid) AND (%(job)s::text IS NULL OR job_name = %(job)s)"
        " ORDER BY load_id DESC LIMIT %(limit)s", {"run": run, "job": job, "limit": limit})


def table(headers: list[str], rows: list[tuple], right: set[int] = frozenset()) -> str:
    cells = [[str(h) for h in headers]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(v.rjust(widths[i]) if i in right else v.ljust(widths[i])
                               for i, v in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="feeds status", description="The latest loads, newest first.")
    p.add_argument("--limit", type=int, default=20, help="how many loads (default 20)")
    p.add_argument("--run", help="only the loads of this run (uuid)")
    p.add_argument("--job", help="only the loads of this job")
    args = p.parse_args(argv)
    try:
        rows = fetch(dbm.Db(), args.limit, args.run, args.job)
    except psycopg.Error as e:
        print(f"feeds status: {dbm.describe(e)}", file=sys.stderr)
        return 1
    if not rows:
        print("no loads yet")
        return 0
    print(table(HEADERS, rows, right={0, 4, 5, 6}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
