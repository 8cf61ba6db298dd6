"""Legacy XLS (BIFF in an OLE2 compound file): what the OLE2 file really is (a workbook, an
encrypted OOXML package, a Word document…), a bounded walk of the sheet's records here while
python-calamine reads the values in a capped child process.

xlrd reads only the workbook globals here (sheet offsets, number formats, XF records; it reads the
sheets lazily), and a whole sheet only when calamine's dense range would pass the memory limit or
for BIFF2-4 files that are not in an OLE2 container (calamine reads BIFF5/8 only). The walk costs
one pass over the sheet's records and finds what calamine does not give: the real extent, error
cells (calamine reads them as empty), zero-padding formats (`000000`: 1234 reads 001234) and
date-time cells at midnight.
"""
from __future__ import annotations

import datetime as dt
import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from shims.excel.calamine import Plan, calamine_plan, calamine_rows
from shims.sniff import OLE2_MAGIC
from shims.excel.common import (NO_PASSWORDS, ConvertError, Limits, Merges, a1, fmt_datetime, fmt_number, fmt_time,
                                fmt_timedelta, is_datetime_format, pick, zero_pad_width)
from shims.excel.output import Fixups

XLRD_BYTES_PER_CELL = 120
ERROR_TEXT = {0x00: "#NULL!", 0x07: "#DIV/0!", 0x0F: "#VALUE!", 0x17: "#REF!", 0x1D: "#NAME?", 0x24: "#NUM!",
              0x2A: "#N/A", 0x2B: "#GETTING_DATA"}


@dataclass
class XlsScan:
    cells: int = 0
    max_row: int = 0
    max_col: int = 0
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # 1-based
    zeros: dict[tuple[int, int], int] = field(default_factory=dict)
    midnight: set[tuple[int, int]] = field(default_factory=set)

    @property
    def extent(self) -> int:
        return self.max_row * self.max_col


def _rk(rk: int) -> float:
    v = float(rk >> 2) if rk & 2 else struct.unpack("<d", struct.pack("<Q", (rk & 0xFFFFFFFC) << 32))[0]
    return v / 100 if rk & 1 else v


CELL_RECORDS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x00D6, 0x0201, 0x0205, 0x0006, 0x0406}


def walk(mem, pos: int, zeros_xf: dict[int, int], datetime_xf: set[int]) -> XlsScan:
    """One pass over a sheet's BIFF8 records from its BOF to its EOF."""
    unpack = struct.unpack_from
    scan = XlsScan()
    special = set(zeros_xf) | datetime_xf
    end = len(mem)
    max_row = max_col = cells = 0
    while pos + 4 <= end:
        rtype, rlen = unpack("<HH", mem, pos)
        body = pos + 4
        pos = body + rlen
        if rtype in CELL_RECORDS:
            if rlen < 6:
                continue
            row, col, xf = unpack("<HHH", mem, body)
            cells += 1
            if row >= max_row:
                max_row = row + 1
            if col >= max_col:
                max_col = col + 1
            if rtype == 0x0205 and rlen >= 8 and mem[body + 7]:
                scan.errors.append((row + 1, col + 1, ERROR_TEXT.get(mem[body + 6], "#?")))
            elif rtype in (0x0006, 0x0406) and rlen >= 14 and mem[body + 12:body + 14] == b"\xff\xff" and mem[body + 6] == 2:
                scan.errors.append((row + 1, col + 1, ERROR_TEXT.get(mem[body + 8], "#?")))
            elif xf in special and rtype in (0x0203, 0x027E):
                v = unpack("<d", mem, body + 6)[0] if rtype == 0x0203 else _rk(unpack("<i", mem, body + 6)[0])
                _special(scan, row + 1, col + 1, xf, v, zeros_xf, datetime_xf)
        elif rtype in (0x00BD, 0x00BE):  # MULRK, MULBLANK
            if rlen < 6:
                continue
            row, first = unpack("<HH", mem, body)
            last = unpack("<H", mem, body + rlen - 2)[0]
            cells += max(0, last - first + 1)
            if row >= max_row:
                max_row = row + 1
            if last >= max_col:
                max_col = last + 1
            if rtype == 0x00BD and special:
                for k, c in enumerate(range(first, last + 1)):
                    xf, rk = unpack("<Hi", mem, body + 4 + 6 * k)
                    if xf in special:
                        _special(scan, row + 1, c + 1, xf, _rk(rk), zeros_xf, datetime_xf)
        elif rtype == 0x000A:  # EOF of the sheet
            break
    scan.cells, scan.max_row, scan.max_col = cells, max_row, max_col
    return scan


def _special(scan: XlsScan, r: int, c: int, xf: int, v: float, zeros_xf, datetime_xf) -> None:
    if not v.is_integer():
        return
    if xf in zeros_xf:
        scan.zeros[(r, c)] = zeros_xf[xf]
    elif xf in datetime_xf:
        scan.midnight.add((r, c))


def _open_globals(path: Path):
    import xlrd
    try:
        return xlrd.open_workbook(str(path), on_demand=True, formatting_info=True, logfile=open(os.devnull, "w"))
    except NotImplementedError:  # formatting_info is not implemented for some BIFF versions
        return xlrd.open_workbook(str(path), on_demand=True, logfile=open(os.devnull, "w"))


def plan_xls(path: Path, sheet, merged: str, warnings: list[str], info: dict, limits: Limits,
             started: float) -> Plan:
    import xlrd
    what = "an XLS workbook"
    try:
        book = _open_globals(path)
    except xlrd.XLRDError as e:
        if "encrypted" in str(e).lower():
            raise ConvertError(f"{path}: is a password-protected (encrypted) XLS workbook; {NO_PASSWORDS}") from None
        book, reason = None, f"{type(e).__name__}: {e}"
    except MemoryError:  # past the memory cap: convert() names FEEDS_CONVERT_MEMORY_MB
        raise
    except Exception as e:  # xlrd raises bare struct/assertion/index errors on damaged files
        book, reason = None, f"{type(e).__name__}: {e}"
    if book is None:
        # What xlrd cannot read (a wrong shared-string count, a damaged directory…) calamine often
        # can: a damaged file that a reader still opens is read, with a warning.
        warnings.append(f"the workbook is damaged (xlrd: {reason}); read by calamine alone, without the checks "
                        "of error cells and number formats")
        return calamine_plan(path, sheet, merged, what)
    try:
        i = pick(book.sheet_names(), sheet)
        name = info["sheet"] = book.sheet_names()[i]
    except BaseException:
        book.release_resources()
        raise
    with open(path, "rb") as f:
        in_container = f.read(8) == OLE2_MAGIC
    if book.biff_version < 50 or not in_container:  # calamine reads BIFF5/8 in OLE2 only; such files are small
        if os.path.getsize(path) * XLRD_BYTES_PER_CELL / 8 > limits.memory_mb << 20:
            book.release_resources()
            raise ConvertError(f"{path}: a BIFF{book.biff_version // 10} stream without an OLE2 container, this large, is read whole "
                               f"and would pass the memory limit of {limits.memory_mb} MB (FEEDS_CONVERT_MEMORY_MB)")
        info["reader"] = "xlrd"
        return Plan(rows=_xlrd_rows(path, book, i, merged, warnings), what=what)

    def scan() -> Fixups:
        try:
            zeros_xf, datetime_xf = _special_xfs(book)
            found = walk(book.mem, book._sh_abs_posn[i], zeros_xf, datetime_xf)
        except ConvertError:
            raise
        except MemoryError:  # past the memory cap: convert() names FEEDS_CONVERT_MEMORY_MB
            raise
        except Exception as e:
            raise ConvertError(f"{path}: looks like a damaged legacy XLS file; sheet {name!r} cannot be walked "
                               f"({type(e).__name__}: {e})") from None
        finally:
            book.release_resources()
        if found.extent > limits.max_cells:
            raise limits.refuse(path, f"sheet {name!r} spans {found.max_row:,} rows x {found.max_col:,} columns = "
                                f"{found.extent:,} cells", "max_cells")
        if found.cells > limits.max_cells:
            raise limits.refuse(path, f"sheet {name!r} holds {found.cells:,} cells", "max_cells")
        return Fixups(found.errors, found.zeros, found.midnight)

    def whole_sheet_with_xlrd() -> Iterator[list[str]]:
        info["reader"] = "xlrd"
        return _xlrd_rows(path, _open_globals(path), i, merged, warnings)

    return Plan(produce=lambda w, inf: calamine_rows(path, name, merged, what), scan=scan,
                fallback=whole_sheet_with_xlrd, what=what)


def _special_xfs(book) -> tuple[dict[int, int], set[int]]:
    fmt_map = getattr(book, "format_map", {}) or {}
    zeros, datetimes = {}, set()
    for i, xf in enumerate(getattr(book, "xf_list", []) or []):
        fmt = fmt_map.get(xf.format_key)
        code = fmt.format_str if fmt is not None else None
        if zero_pad_width(code):
            zeros[i] = zero_pad_width(code)
        elif is_datetime_format(code):
            datetimes.add(i)
    return zeros, datetimes


def _xlrd_rows(path: Path, book, index: int, merged: str, warnings: list[str]) -> Iterator[list[str]]:
    """The whole sheet through xlrd: BIFF2-4, or a sheet whose dense range calamine cannot hold."""
    try:
        try:
            sh = book.sheet_by_index(index)
        except MemoryError:  # past the memory cap: convert() names FEEDS_CONVERT_MEMORY_MB
            raise
        except Exception as e:
            raise ConvertError(f"{path}: looks like a damaged legacy XLS file; sheet {index + 1} cannot be read "
                               f"({type(e).__name__}: {e})") from None
        ranges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in getattr(sh, "merged_cells", [])]
        merges = Merges(ranges, merged)
        fmt_of = _xls_formats(book)
        for r in range(sh.nrows):
            yield merges.apply(r + 1, [_xlrd_cell(book, cell, fmt_of, warnings, r, c) for c, cell in enumerate(sh.row(r))])
    finally:
        book.release_resources()


def _xls_formats(book):
    fmt_map = getattr(book, "format_map", {}) or {}
    xf_list = getattr(book, "xf_list", []) or []

    def fmt_of(cell):
        try:
            return fmt_map[xf_list[cell.xf_index].format_key].format_str
        except (IndexError, KeyError, TypeError, AttributeError):
            return None
    return fmt_of


def _xlrd_cell(book, cell, fmt_of, warnings, r, c) -> str:
    import xlrd
    t = cell.ctype
    if t in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return ""
    if t == xlrd.XL_CELL_TEXT:
        return cell.value
    if t == xlrd.XL_CELL_NUMBER:
        return fmt_number(cell.value, fmt_of(cell))
    if t == xlrd.XL_CELL_BOOLEAN:
        return "true" if cell.value else "false"
    if t == xlrd.XL_CELL_DATE:
        v, fmt = cell.value, fmt_of(cell) or ""
        if "[h" in fmt.lower() or "[m" in fmt.lower() or "[s" in fmt.lower():  # elapsed time: a duration
            return fmt_timedelta(dt.timedelta(days=v))
        try:
            if 0 <= v < 1:
                return fmt_time(xlrd.xldate_as_datetime(v, book.datemode).time())
            return fmt_datetime(xlrd.xldate_as_datetime(v, book.datemode), fmt)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return fmt_number(v)  # not a valid date: the number stays
    if t == xlrd.XL_CELL_ERROR:
        warnings.append(f"{a1(r, c)}: error value {xlrd.error_text_from_code.get(cell.value, '#?')} written as empty")
        return ""
    return str(cell.value)
