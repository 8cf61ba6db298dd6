"""feeds job draft: a job (table, comments, grants, dba.timportconfig row) drafted from a sample file.

    feeds job draft FILE [--name JOB] [--table SCHEMA.TABLE] [--mode append|upsert|replace|replace_per_run]
                         [--base DIR] [--sheet NAME|INDEX] [--apply [--yes]]

The database does the inferring (dba.draft_job_from_sample): this shim converts a workbook to
CSV first (shims.xls_to_csv.convert), asks dba.draft_sample_ranges() which bytes of the file make
the sample, reads exactly those and sends them. It prints the SQL script the database returns,
with the dry run of the sample through the drafted job under it (nothing is created by that).
--apply runs the printed script after a confirmation (--yes when there is no terminal to ask),
then creates the job's directories on this machine when they are missing.

Exit codes: 0 drafted (and applied), 1 the script failed when applied, 2 bad usage, a file that
cannot be read or converted, or a refusal by the database.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import psycopg

from shims import db as dbm
from shims import fsutil

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}


def read_sample(conn: psycopg.Connection, path: Path) -> tuple[int, list[bytes]]:
    """The file's size and the byte ranges the database asks for, in its order."""
    size = path.stat().st_size
    ranges = conn.execute("SELECT byte_offset, byte_count FROM dba.draft_sample_ranges(%s)", (size,)).fetchall()
    parts = []
    with open(path, "rb") as f:
        for offset, count in ranges:
            f.seek(offset)
            parts.append(f.read(count))
    return size, parts


def draft(conn: psycopg.Connection, path: Path, name: str, args) -> list[str]:
    """The script lines dba.draft_job_from_sample() returns for the file at path (named name)."""
    size, parts = read_sample(conn, path)
    rows = conn.execute(
        "SELECT * FROM dba.draft_job_from_sample(p_file_name => %s, p_file_size => %s, p_parts => %s,"
        " p_job => %s, p_table => %s, p_mode => %s, p_base_dir => %s)",
        (name, size, parts, args.name, args.table, args.mode, args.base)).fetchall()
    return [r[0] for r in rows]


def confirm(args, job: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        print("feeds job draft: --apply needs a terminal to confirm, or --yes", file=sys.stderr)
        return False
    answer = input(f"Apply this script (creates the table and job {job})? [y/N] ")
    return answer.strip().lower() in ("y", "yes")


def make_dirs(conn: psycopg.Connection, job: str) -> None:
    dirs = conn.execute("SELECT inbox_dir, processing_dir, archive_dir, failed_dir FROM dba.timportconfig"
                        " WHERE job_name = %s", (job,)).fetchone()
    for d in dirs or ():
        try:
            fsutil.ensure_dir(d)
        except OSError as e:
            print(f"feeds job draft: cannot create {d} here ({e.strerror}); create it on the server", file=sys.stderr)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(prog="feeds job draft", description=__doc__.split("\n\n")[0])
    ap.add_argument("file", type=Path, help="a sample file: CSV, delimited text, or a workbook the converter reads")
    ap.add_argument("--name", help="job name (default: from the file name, digits dropped)")
    ap.add_argument("--table", help="target table schema.table (default: public.<job>)")
    ap.add_argument("--mode", default="append", choices=("append", "upsert", "replace", "replace_per_run"))
    ap.add_argument("--base", help="directory for the job's inbox, processing, archive, failed (default: /srv/feeds/<job>)")
    ap.add_argument("--sheet", help="workbook sheet by name or 1-based index (default: the first)")
    ap.add_argument("--apply", action="store_true", help="run the script after a confirmation")
    ap.add_argument("--yes", action="store_true", help="with --apply: do not ask")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    if not args.file.is_file():
        print(f"feeds job draft: not a readable file: {args.file}", file=sys.stderr)
        return 2
    try:
        conn = dbm.connect()
    except psycopg.Error as e:
        print(f"feeds job draft: cannot reach the database: {dbm.describe(e)}", file=sys.stderr)
        return 2
    with conn, tempfile.TemporaryDirectory(prefix="feeds-draft-") as tmp:
        sample = args.file
        if args.file.suffix.lower() in EXCEL_SUFFIXES:
            from shims import xls_to_csv
            sample = Path(tmp) / (args.file.name + ".csv")
            try:
                xls_to_csv.convert(args.file, sample, sheet=args.sheet)
            except xls_to_csv.ConvertError as e:
                print(f"feeds job draft: {e}", file=sys.stderr)
                return 2
        try:
            lines = draft(conn, sample, args.file.name, args)
        except OSError as e:
            print(f"feeds job draft: cannot read {args.file}: {e.strerror}", file=sys.stderr)
            return 2
        except psycopg.Error as e:
            print(f"feeds job draft: {args.file.name}: {dbm.describe(e)}", file=sys.stderr)
            return 2
        print("\n".join(lines))
        if not args.apply:
            return 0
        job = next(line.split()[4] for line in lines if line.startswith("-- draft of job "))
        if not confirm(args, job):
            return 2
        try:
            conn.execute("\n".join(lines))  # the script as printed: BEGIN; … COMMIT;
        except psycopg.Error as e:
            print(f"feeds job draft: the script failed, nothing was created: {dbm.describe(e)}", file=sys.stderr)
            return 1
        make_dirs(conn, job)
        print(f"applied: job {job} created", file=sys.stderr)
    return 0
