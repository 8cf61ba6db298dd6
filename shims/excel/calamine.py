"""python-calamine, the reader of every workbook format, run in a forked child process.

calamine reads a whole sheet into a dense rows x columns range: a sheet that declares little and
holds one cell at XFD1048576 makes it ask for 512 GB and abort the process (a Rust abort, not an
exception). So the read runs in a child whose address space is capped near the memory limit: the
child reads, formats and writes the first pass of the CSV; meanwhile the parent runs the format's
pre-scan (a bomb is refused, and the child killed, as soon as the scan passes a limit). A child that
runs out of memory ends the read, never Feeds. On two cores the scan costs no wall time."""
from __future__ import annotations

import datetime as dt
import faulthandler
import json
import os
import re
import resource
import select
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from shims.excel.common import FAST, NO_PASSWORDS, ConvertError, Limits, Merges, fmt_float, fmt_timedelta
from shims.excel.output import Fixups, Table, write_rows

CHILD_HEADROOM_MB = 64  # the child's allocator and buffers beside the data
MAX_CHILD_WARNINGS = 1000


_ISO_DURATION = re.compile(r"P(?:(\d+)D)?T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?")


def iso_duration(v: str) -> str:
    """ODS keeps a duration as ISO 8601 (`PT255H10M10S`), which calamine passes on as text."""
    m = _ISO_DURATION.fullmatch(v) if v.startswith("P") and len(v) > 2 else None
    if m is None:
        return v
    days, hours, minutes, seconds = (float(g) if g else 0 for g in m.groups())
    return fmt_timedelta(dt.timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds))


def calamine_rows(path: Path, name: str, merged: str, what: str, ods: bool = False) -> Iterator[list[str]]:
    """Rows of sheet `name` as strings, merged cells filled (or emptied) as `merged` says."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError
    try:
        # from_filelike: calamine then tells the format by content (from_path goes by the extension)
        with open(path, "rb") as fh, CalamineWorkbook.from_filelike(fh) as wb:
            sh = wb.get_sheet_by_name(name)
            ranges = [(r0 + 1, c0 + 1, r1 + 1, c1 + 1) for (r0, c0), (r1, c1) in sh.merged_cell_ranges or []]
            start = sh.start
            rows = sh.iter_rows() if start is not None else iter(())
    except PasswordError:
        raise ConvertError(f"{path}: is a password-protected (encrypted) {what}; {NO_PASSWORDS}") from None
    except CalamineError as e:
        raise ConvertError(f"{path}: looks like {what} but it is damaged and cannot be read: {_reason(e)}") from None
    merges = Merges(ranges, merged)
    lead = [""] * (start[1] if start else 0)  # iter_rows starts at the first used column
    fast, number = FAST, fmt_float
    rowno = 0
    try:
        for cells in rows:
            rowno += 1
            out = lead + [v if type(v) is str else number(v) if type(v) is float else fast[type(v)](v) for v in cells]
            if ods:
                out = [iso_duration(v) for v in out]
            yield merges.apply(rowno, out)
    except CalamineError as e:
        raise ConvertError(f"{path}: the workbook is damaged at row {rowno + 1}: {_reason(e)}") from None


def _reason(e: Exception) -> str:
    return f"{type(e).__name__}: {e}" if str(e) else type(e).__name__


@dataclass
class Plan:
    """How a reader wants to run: `rows` in this process, or `produce(warnings, info)` in a forked
    child (it may set info["sheet"]) while `scan()` runs here and returns Fixups (or raises to
    refuse); `fallback()` gives rows in this process when the child ran out of memory (a streaming
    reader), if the format has one."""
    rows: Iterator[list[str]] | None = None
    produce: Callable[[list[str], dict], Iterator[list[str]]] | None = None
    scan: Callable[[], Fixups | None] | None = None
    fallback: Callable[[], Iterator[list[str]]] | None = None
    what: str = ""


class ChildOutOfMemory(Exception):
    pass


def _vm_bytes() -> int:
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 512 << 20


def run_forked(plan: Plan, tmp, limits: Limits, started: float, path: Path,
               warnings: list[str], info: dict) -> tuple[Table, Fixups | None]:
    """Run plan.produce in a child under the memory cap and plan.scan here; the first pass of the
    CSV lands in tmp. Raises ConvertError (the scan's refusal, the child's error, a limit) or
    ChildOutOfMemory."""
    meta = tempfile.TemporaryFile()
    r, w = os.pipe()
    cap = _vm_bytes() + ((limits.memory_mb + CHILD_HEADROOM_MB) << 20)
    tmp.flush()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(r)
        _child(plan, tmp, meta, w, cap, limits, started, path)
    os.close(w)
    try:
        fixups = plan.scan() if plan.scan else None
        message = _read_child(r, limits, started, path, plan.what)
        _, status = os.waitpid(pid, 0)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(r)
    with meta:
        if "error" in message:
            raise ConvertError(message["error"])
        if message.get("memory") or os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT, signal.SIGKILL):
            raise ChildOutOfMemory()  # calamine aborts when an allocation fails under the cap
        if os.WIFSIGNALED(status):
            raise ConvertError(f"{path}: the reader of {plan.what} crashed on this file (signal "
                               f"{signal.Signals(os.WTERMSIG(status)).name}); the file is probably damaged")
        if "crash" in message or not message:
            raise ConvertError(f"{path}: the reader of {plan.what} stopped on this file, which is probably damaged "
                               f"({message.get('crash') or f'exit status {status}'})")
        t = Table(width=message["width"], cells=message["cells"])
        meta.seek(0)
        t.lengths.frombytes(meta.read(t.lengths.itemsize * message["rows"]))
        t.counts.frombytes(meta.read(t.counts.itemsize * message["rows"]))
    warnings.extend(message["warnings"])
    info.update(message["info"])
    return t, fixups


def _read_child(r: int, limits: Limits, started: float, path: Path, what: str) -> dict:
    chunks = []
    while True:
        left = limits.max_seconds - (time.monotonic() - started)
        ready, _, _ = select.select([r], [], [], max(left, 0))
        if not ready:
            raise limits.refuse(path, f"reading {what} did not finish in time", "max_seconds")
        data = os.read(r, 1 << 16)
        if not data:
            break
        chunks.append(data)
    try:
        return json.loads(b"".join(chunks) or b"{}")
    except ValueError:
        return {}


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def _child(plan: Plan, tmp, meta, w: int, cap: int, limits: Limits, started: float, path: Path) -> None:
    code, message = 1, {}
    try:
        faulthandler.disable()  # an abort here is expected and reported (pytest enables the handler)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)  # a Rust panic or abort prints its backtrace there; the reason comes back as JSON
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)  # the parent's handlers are not the child's
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]  # the watcher's cap for the whole conversion
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
        child_warnings: list[str] = []
        child_info: dict = {}
        t = write_rows(plan.produce(child_warnings, child_info), tmp, limits, started, path)
        tmp.flush()
        meta.write(t.lengths.tobytes())
        meta.write(t.counts.tobytes())
        meta.flush()
        message = {"rows": len(t.counts), "width": t.width, "cells": t.cells,
                   "warnings": child_warnings[:MAX_CHILD_WARNINGS], "info": child_info}
        code = 0
    except ConvertError as e:
        message = {"error": str(e)}
    except MemoryError:
        message = {"memory": True}
    except BaseException as e:  # reported by the parent with the file's name
        message = {"crash": f"{type(e).__name__}: {e}"}
    finally:
        try:
            data = json.dumps(message).encode()
            while data:
                data = data[os.write(w, data):]
        finally:
            os._exit(code)


def calamine_plan(path: Path, sheet, merged: str, what: str) -> Plan:
    """XLSB, ODS, or an XLS that xlrd cannot open: calamine alone; even opening the workbook (its
    shared strings) happens in the child."""
    return Plan(produce=lambda warnings, info: _pick_and_read(path, sheet, merged, what, info), what=what)


def _pick_and_read(path: Path, sheet, merged: str, what: str, info: dict) -> Iterator[list[str]]:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum
    from shims.excel.common import pick
    try:
        with open(path, "rb") as fh, CalamineWorkbook.from_filelike(fh) as wb:
            meta = wb.sheets_metadata
    except PasswordError:
        raise ConvertError(f"{path}: is a password-protected (encrypted) {what}; {NO_PASSWORDS}") from None
    except CalamineError as e:
        raise ConvertError(f"{path}: looks like {what} but it is damaged and cannot be read: {_reason(e)}") from None
    i = pick([m.name for m in meta], sheet)
    info["sheet"] = meta[i].name
    if meta[i].typ == SheetTypeEnum.ChartSheet:
        raise ConvertError(f"{path}: sheet {meta[i].name!r} is a chart sheet, not a table")
    return calamine_rows(path, meta[i].name, merged, what, ods="ODS" in what)
