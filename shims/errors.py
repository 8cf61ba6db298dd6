"""`feeds errors LOAD_ID [--limit N] [--csv]`: the rejected rows of one load, with their reasons.

--csv prints dba.load_errors_csv(load): every rejected row, each value that a spreadsheet would
run as a formula (=, +, -, @, tab, CR first) with an apostrophe in front."""
from __future__ import annotations

import argparse
import sys

import psycopg

from shims import db as dbm
from shims.status import table

HEADERS = ["line", "column", "value", "rule", "message"]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="feeds errors", description="Rejected rows of one load and why.")
    p.add_argument("load_id", type=int, metavar="LOAD_ID")
    p.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")
    p.add_argument("--csv", action="store_true", help="CSV on stdout (with the raw line), for a spreadsheet")
    args = p.parse_args(argv)
    db = dbm.Db()
    if args.csv:
        try:
            sys.stdout.write(db.one("SELECT dba.load_errors_csv(%s)", (args.load_id,))[0])
        except psycopg.Error as e:
            print(f"feeds errors: {dbm.describe(e)}", file=sys.stderr)
            return 2 if getattr(e.diag, "sqlstate", None) == "FD001" else 1
        finally:
            db.close()
        return 0
    try:
        load = db.one("SELECT file_name, job_name, dba.load_outcome(d), rows_read, rows_rejected, error_sqlstate,"
                      "       error_message FROM dba.tdataloads d WHERE load_id = %s", (args.load_id,))
        if load is None:
            print(f"feeds errors: load {args.load_id} does not exist (see feeds status)", file=sys.stderr)
            return 2
        rows = db.call("SELECT line_no, column_name, raw_value, rule, message, raw_line FROM dba.tloaderror"
                       " WHERE load_id = %s ORDER BY line_no NULLS FIRST, error_id LIMIT %s",
                       (args.load_id, args.limit))
        total = db.one("SELECT count(*) FROM dba.tloaderror WHERE load_id = %s", (args.load_id,))[0]
    except psycopg.Error as e:
        print(f"feeds errors: {dbm.describe(e)}", file=sys.stderr)
        return 1
    finally:
        db.close()
    name, job, status, read, rejected, sqlstate, message = load
    print(f"load {args.load_id}: {name} (job {job}) {status}: {read} rows read, {rejected} rejected")
    if sqlstate:
        print(f"failed [{sqlstate}]: {message}")
    if not rows:
        print("no rejected rows")
        return 0
    print(table(HEADERS, [(r[0], r[1], _short(r[2]), r[3], r[4]) for r in rows], right={0}))
    if total > len(rows):
        print(f"… {total - len(rows)} more (--limit, or --csv for all)")
    return 0


def _short(v, n: int = 40):
    if v is None:
        return ""
    v = v.replace("\n", "\\n")
    return v if len(v) <= n else v[: n - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
