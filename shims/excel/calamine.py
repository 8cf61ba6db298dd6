"""python-calamine, the reader of every workbook format: rows as a person reads them, with what a
pre-scan found (error cells, zero padding, midnight date-times) applied; and, for formats that no
pre-scan bounds (XLSB, ODS, an XLS that xlrd cannot open), the same read in a child process under
the memory and time limits, so a file that would take too much is refused instead of ending Feeds."""
from __future__ import annotations

import datetime as dt
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Iterator

from shims.excel.common import FAST, NO_PASSWORDS, ConvertError, Limits, Merges, a1

ROOT = Path(__file__).resolve().parent.parent.parent
CHILD_HEADROOM_MB = 400  # address space of the interpreter and its threads beside the data


def calamine_rows(path: Path, name: str | int, scan, merged: str, warnings: list[str], what: str,
                  info: dict | None = None) -> Iterator[list[str]]:
    """Rows of sheet `name` (or 0-based index) as strings. `scan` has errors (row, col, text),
    zeros {(row, col): width} and midnight {(row, col)}, all 1-based; None when nothing was scanned."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError
    try:
        # from_filelike: calamine then tells the format by content (from_path goes by the extension)
        with open(path, "rb") as fh, CalamineWorkbook.from_filelike(fh) as wb:
            if isinstance(name, int):
                if info is not None:
                    info["sheet"] = wb.sheet_names[name]
                sh = wb.get_sheet_by_index(name)
            else:
                sh = wb.get_sheet_by_name(name)
            ranges = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in sh.merged_cell_ranges or []]
            start = sh.start
            rows = sh.iter_rows() if start is not None else iter(())
    except PasswordError:
        raise ConvertError(f"{path}: is a password-protected (encrypted) {what} workbook; {NO_PASSWORDS}") from None
    except CalamineError as e:
        raise ConvertError(f"{path}: looks like {what} but it cannot be read: {_reason(e)}") from None
    merges = Merges(ranges, merged)
    lead = [""] * (start[1] if start else 0)
    errors: dict[int, list[tuple[int, str]]] = {}
    zeros, midnight = (scan.zeros, scan.midnight) if scan is not None else ({}, set())
    for r, c, v in scan.errors if scan is not None else ():
        errors.setdefault(r, []).append((c, v))
    fix_rows = {r for r, _ in zeros} | {r for r, _ in midnight} | set(errors)
    fast = FAST
    rowno = 0
    try:
        for cells in rows:
            rowno += 1
            out = lead + [fast[type(v)](v) for v in cells]
            if rowno in fix_rows:
                _fix_row(out, rowno, cells, len(lead), zeros, midnight, errors.get(rowno, ()), warnings)
            yield merges.apply(rowno, out)
    except CalamineError as e:
        raise ConvertError(f"{path}: the workbook is damaged at row {rowno + 1}: {_reason(e)}") from None


def _reason(e: Exception) -> str:
    return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__


def _fix_row(out, rowno, cells, lead, zeros, midnight, errors, warnings) -> None:
    for c in range(1, len(out) + 1):
        v = cells[c - 1 - lead] if 0 <= c - 1 - lead < len(cells) else None
        width = zeros.get((rowno, c))
        if width and isinstance(v, (int, float)) and not isinstance(v, bool) and float(v).is_integer():
            s = out[c - 1]
            out[c - 1] = ("-" + s[1:].zfill(width)) if s.startswith("-") else s.zfill(width)
        elif (rowno, c) in midnight and type(v) is dt.date:
            out[c - 1] = v.isoformat() + " 00:00:00"
    for c, text in errors:
        if c <= len(out):
            out[c - 1] = ""
        warnings.append(f"{a1(rowno - 1, c - 1)}: error value {text or '#?'} written as empty")


# --- the isolated read ----------------------------------------------------------------------------

def convert_isolated(path: Path, out_path: Path, sheet, merged: str, limits: Limits, fmt: str, why: str):
    """Run the whole conversion of `path` in a child process whose address space is capped near
    limits.memory_mb and whose time is capped at limits.max_seconds. Returns (rows, columns, sheet,
    warnings); raises ConvertError with the child's reason, or naming the limit that stopped it."""
    args = json.dumps({"path": str(path), "out": str(out_path), "sheet": sheet, "merged": merged, "fmt": fmt,
                       "limits": {k: getattr(limits, k) for k in Limits.ENV}})
    cap = (limits.memory_mb + CHILD_HEADROOM_MB) << 20

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    env = {**os.environ, "PYTHONPATH": str(ROOT), "RUST_BACKTRACE": "0"}
    try:
        p = subprocess.run([sys.executable, "-m", "shims.excel.calamine", args], capture_output=True, text=True,
                           timeout=limits.max_seconds, preexec_fn=limit_memory, env=env)
    except subprocess.TimeoutExpired:
        raise limits.refuse(path, f"reading it ({why}) did not finish in time", "max_seconds") from None
    try:
        answer = json.loads(p.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        answer = None
    if p.returncode == 0 and answer and "rows" in answer:
        return answer["rows"], answer["columns"], answer["sheet"], answer["warnings"]
    if answer and "error" in answer:
        raise ConvertError(answer["error"])
    if "memory allocation" in p.stderr or "MemoryError" in p.stderr or p.returncode in (-6, -9, 134, 137):
        raise ConvertError(f"{path}: reading it ({why}) needs more memory than the limit of {limits.memory_mb} MB "
                           f"(FEEDS_CONVERT_MEMORY_MB); refused")
    last = (p.stderr.strip().splitlines() or ["no message"])[-1]
    raise ConvertError(f"{path}: the reader stopped on this file ({why}; exit {p.returncode}: {last})")


def _child(argv: list[str]) -> int:
    from shims import xls_to_csv
    a = json.loads(argv[0])
    try:
        r = xls_to_csv.convert(a["path"], a["out"], sheet=a["sheet"], merged=a["merged"], progress=False,
                               limits=Limits(**a["limits"]), _in_child=a["fmt"])
    except ConvertError as e:
        print(json.dumps({"error": str(e)}))
        return 1
    except MemoryError:
        print(json.dumps({"error": f"{a['path']}: reading it needs more memory than the limit of "
                                   f"{a['limits']['memory_mb']} MB (FEEDS_CONVERT_MEMORY_MB); refused"}))
        return 1
    print(json.dumps({"rows": r.rows, "columns": r.columns, "sheet": r.sheet, "warnings": r.warnings}))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
