"""Excel (and look-alikes) to CSV: `feeds convert FILE… [--sheet NAME|INDEX] [--out-dir DIR]
[--merged fill|empty]`.

The format is decided by the file's content, never by its extension. Which library does what:
  XLSX/XLSM (zip)     python-calamine (Rust's calamine) reads the values: dates, durations, numbers
                      that are not valid dates, `_x000D_` escapes, Strict OOXML, backslash paths,
                      workbook.xml at the root, no sharedStrings.xml. At the same time a bounded
                      scan of the raw sheet XML (shims/excel/ooxml.py) finds what calamine does not
                      give: the real extent, error cells, `00000`-style zero padding, date-times at
                      midnight. A sheet whose read would pass the memory limit streams through
                      openpyxl read-only instead (slower, one row in memory).
  XLS (OLE2/BIFF5-8)  python-calamine for the values; xlrd reads only the workbook globals (number
                      formats) for a bounded walk of the sheet's records (shims/excel/legacy.py),
                      and a whole sheet only for BIFF2-4 or a sheet too large for calamine.
  XLSB, ODS           python-calamine alone (also an XLS that xlrd cannot open, with a warning).
  HTML table as .xls  BeautifulSoup (html.parser)
  SpreadsheetML 2003  xml.etree iterparse, streaming
  CSV / TSV           passed through, re-written as UTF-8 comma-separated CSV
calamine always runs in a forked child whose address space is capped (shims/excel/calamine.py):
it aborts the process when a sheet's dense range does not fit, and that must end the read, not
Feeds. The CSV is written in two passes (shims/excel/output.py).
Anything else is refused with an error that says what the file really is: password-protected
(Feeds does not take passwords), damaged (where), a format Feeds does not read (Word, PowerPoint,
OpenDocument text…), or not a spreadsheet at all. A damaged file that a reader can still open is
read, with a warning.

Values come out as a person reads them in Excel: integers without ".0", dates and times in ISO
8601, durations as H:MM:SS (255:10:10), a number that is not a valid date as the number, booleans
true/false, error cells empty (with a warning), merged cells filled with their value (or left empty
with --merged empty; XLSX and XLS record merges, XLSB and ODS do not), text kept as typed (leading
zeros too). Trailing empty rows and columns are dropped. Output is UTF-8 RFC 4180 CSV named
<input name>.csv (list.xls -> list.xls.csv), written to a temporary dot-name and renamed, mode
0660, group etl_group when it exists.

Limits (environment, see docs/configuration.md): FEEDS_CONVERT_MAX_CELLS, FEEDS_CONVERT_MAX_BYTES
(uncompressed bytes of one sheet part), FEEDS_CONVERT_MAX_SECONDS, FEEDS_CONVERT_MEMORY_MB. Past
one of them the file is refused with a ConvertError naming it; a bomb is refused while it is
being decompressed, whatever its zip entry or <dimension> declare.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from shims.sniff import DAMAGED, ENCRYPTED, OLE2_MAGIC, sniff_file
from shims.excel.calamine import ChildOutOfMemory, Plan, calamine_plan, run_forked
from shims.excel.common import NO_PASSWORDS, ConvertError, Limits
from shims.excel.legacy import plan_xls
from shims.excel.markup import read_csv, read_html, read_spreadsheetml
from shims.excel.ooxml import plan_xlsx
from shims.excel.output import finish, write_rows

__all__ = ["ConvertError", "Limits", "Result", "convert", "default_output", "main", "sniff"]


@dataclass
class Result:
    source: Path
    output: Path
    fmt: str
    sheet: str
    rows: int = 0
    columns: int = 0
    seconds: float = 0.0
    warnings: list[str] = field(default_factory=list)
    reader: str = ""


# --- what is this file? ---------------------------------------------------------------------

def sniff(path: str | os.PathLike) -> str:
    """Return 'xlsx', 'xlsb', 'ods', 'xls', 'html', 'spreadsheetml' or 'csv' from the content;
    raise ConvertError naming what the file really is otherwise. The kind is shims/sniff.py's
    (sniff_file: the one sniffer of the shims); this only turns a kind it cannot read into a reason."""
    path = Path(path)
    try:
        path.stat()
    except FileNotFoundError:
        raise ConvertError(f"{path}: no such file") from None
    if not path.is_file():
        raise ConvertError(f"{path}: not a regular file")
    kind = sniff_file(path, test=False)
    if kind.spreadsheet:
        return FORMAT_OF.get(kind.name, kind.name)
    if kind.name == "encrypted":
        raise ConvertError(f"{path}: is {ENCRYPTED}; {NO_PASSWORDS}")
    if kind.name == "empty":
        raise ConvertError(f"{path}: the file is empty {kind.what.removeprefix('an empty file ')}")
    raise ConvertError(f"{path}: looks like {kind.what}" + ("" if kind.name in DAMAGED else ", not a spreadsheet"))


FORMAT_OF = {"text": "csv"}  # every other kind the converter reads is its format's name


# --- readers: each returns a Plan (rows here, or a forked calamine read and a scan here) ----------

WHAT = {"xlsb": "an XLSB (binary Excel) workbook", "ods": "an OpenDocument spreadsheet (ODS)"}


def _in_process(reader):
    def plan(path, sheet, merged, warnings, info, limits, started) -> Plan:
        return Plan(rows=reader(path, sheet, merged, warnings, info, limits, started))
    return plan


def _calamine_only(fmt):
    def plan(path, sheet, merged, warnings, info, limits, started) -> Plan:
        return calamine_plan(path, sheet, merged, WHAT[fmt])
    return plan


PLANS = {"xlsx": plan_xlsx, "xls": plan_xls, "xlsb": _calamine_only("xlsb"), "ods": _calamine_only("ods"),
         "spreadsheetml": _in_process(read_spreadsheetml), "html": _in_process(read_html),
         "csv": _in_process(read_csv)}


# --- the conversion -------------------------------------------------------------------------

def _convert(make_plan, path, out_path, sheet, merged, warnings, info, limits, started, progress):
    plan = make_plan(path, sheet, merged, warnings, info, limits, started)
    with tempfile.TemporaryFile() as tmp:
        fixups = None
        if plan.rows is not None:
            table = write_rows(plan.rows, tmp, limits, started, path, path.name if progress else None)
        else:
            try:
                table, fixups = run_forked(plan, tmp, limits, started, path, warnings, info)
            except ChildOutOfMemory:
                if plan.fallback is None:
                    raise ConvertError(f"{path}: reading {plan.what} needs more memory than the limit of "
                                       f"{limits.memory_mb} MB (FEEDS_CONVERT_MEMORY_MB); refused") from None
                tmp.seek(0)
                tmp.truncate()
                warnings.append(f"calamine needed more than {limits.memory_mb} MB for this sheet; read by the "
                                "streaming reader instead")
                table = write_rows(plan.fallback(), tmp, limits, started, path, path.name if progress else None)
        return finish(tmp, table, out_path, fixups, warnings)


def default_output(path: str | os.PathLike, out_dir: str | os.PathLike | None = None) -> Path:
    path = Path(path)
    return (Path(out_dir) if out_dir else path.parent) / (path.name + ".csv")


def convert(path: str | os.PathLike, out_path: str | os.PathLike | None = None, sheet: str | int | None = None,
            merged: str = "fill", log=None, progress: bool | None = None, limits: Limits | None = None) -> Result:
    """Convert one file to CSV at out_path (default <path>.csv). Raises ConvertError with a message
    for a person; the output is either complete or absent. `log` is a db.RunLog (optional);
    `limits` default to Limits.from_env()."""
    if merged not in ("fill", "empty"):
        raise ValueError("merged must be 'fill' or 'empty'")
    path = Path(path)
    out_path = Path(out_path) if out_path else default_output(path)
    started = time.monotonic()
    limits = limits or Limits.from_env()
    fmt = sniff(path)
    warnings: list[str] = []
    info = {"sheet": "", "reader": "calamine" if fmt in ("xlsx", "xls", "xlsb", "ods") else fmt}
    if progress is None:
        progress = sys.stderr.isatty()
    try:
        rows, columns = _convert(PLANS[fmt], path, out_path, sheet, merged, warnings, info, limits, started, progress)
    except (ConvertError, OSError):
        raise
    except MemoryError:  # past the address-space cap the watcher sets from the same limit
        raise ConvertError(f"{path}: reading it needs more than {limits.memory_mb} MB of memory "
                           f"(FEEDS_CONVERT_MEMORY_MB); refused") from None
    except Exception as e:  # a reader's own error on a file it cannot parse: the file's fault, said so
        raise ConvertError(f"{path}: looks like {fmt.upper()} but the reader failed on it ({type(e).__name__}: {e})") \
            from None
    result = Result(path, out_path, fmt, info["sheet"], rows, columns, round(time.monotonic() - started, 3), warnings,
                    info.get("reader", ""))
    if log is not None:
        for w in warnings[:20]:
            log.log(f"convert {path.name}: {w}", level="warning")
        if len(warnings) > 20:
            log.log(f"convert {path.name}: {len(warnings) - 20} more warnings", level="warning")
        log.log(f"converted {path.name} ({fmt}, sheet {result.sheet!r}) to {out_path.name}: "
                f"{rows} rows, {columns} columns in {result.seconds:.2f} s")
    return result


# --- command line ---------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="feeds convert", description="Convert Excel-like files to UTF-8 CSV "
                                "(<name>.csv next to each file, or in --out-dir).")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--sheet", help="sheet (or HTML table) by name or 1-based index; default the first")
    p.add_argument("--out-dir", help="directory for the CSV files (default: next to each input)")
    p.add_argument("--merged", choices=("fill", "empty"), default="fill",
                   help="merged cells: fill every cell with the value (default) or leave them empty")
    p.add_argument("--no-log", action="store_true", help="do not log to the database")
    args = p.parse_args(argv)
    try:
        Limits.from_env()
    except ConvertError as e:
        print(f"feeds convert: {e}", file=sys.stderr)
        return 2
    if args.out_dir and not Path(args.out_dir).is_dir():
        print(f"feeds convert: --out-dir {args.out_dir}: no such directory", file=sys.stderr)
        return 2
    log = None
    if not args.no_log:
        from shims.db import RunLog
        log = RunLog("xls_to_csv")
    failed = 0
    for name in args.files:
        try:
            r = convert(name, default_output(name, args.out_dir), sheet=args.sheet, merged=args.merged, log=log)
        except ConvertError as e:
            failed += 1
            print(f"feeds convert: {e}", file=sys.stderr)
            if log is not None:
                log.log(f"convert failed: {e}", level="error")
            continue
        for w in r.warnings:
            print(f"feeds convert: warning: {name}: {w}", file=sys.stderr)
        print(f"{r.output}: {r.rows} rows, {r.columns} columns ({r.fmt}, sheet {r.sheet!r}, {r.seconds:.2f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
