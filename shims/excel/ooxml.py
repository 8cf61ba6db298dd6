"""XLSX and XLSM: what the package holds, a bounded scan of the sheet, python-calamine (fast, whole
sheet in memory, in a capped child process while the scan runs here), or openpyxl read-only
(streaming) for a sheet too large to hold.

The scan decompresses the sheet part once in 4 MB chunks, counting bytes and cells (a bomb is
refused as soon as it passes a limit, whatever the zip or <dimension> declare) and finding what
calamine does not give: the real extent (calamine allocates rows x columns, so one cell at XFD1048576
would take 512 GB), error cells (calamine reads them as empty, silently), cells whose number format
pads with zeros (`00000`: 1234 reads 01234) and date-time cells at midnight (calamine gives a date).
Everything it looks for is a C-speed regex over the raw XML; only the rare hits reach Python.
"""
from __future__ import annotations

import posixpath
import re
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator
from xml.etree import ElementTree as ET

from shims.excel.calamine import Plan, calamine_rows
from shims.excel.output import Fixups
from shims.excel.common import (EXCEL_ERRORS, ConvertError, Limits, Merges, col_number, decode_escapes, fmt_value,
                                is_datetime_format, parse_ref, pick, zero_pad_width)

CHUNK = 4 << 20
SIDE_TABLE_MAX = 1_000_000  # fix-ups kept (about 100 bytes each)
BYTES_PER_CELL = 60  # calamine's peak per cell beside the dense range and the strings (measured: bench/)
XML_BYTES_PER_CELL = 40  # a typical cell in sheet XML: the reader is chosen before the scan counts them
BASE_MB = 45  # interpreter, libraries, buffers

_ROW_R = re.compile(rb'<row r="(\d+)"')
_ROW_ANY_R = re.compile(rb'<row\b[^>]*?\sr="(\d+)"')
_LONG_COL = re.compile(rb'<c r="([A-Z]{2,3})\d')
_ERROR = re.compile(rb' t="e"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)?(?:<v>([^<]*)</v>)?')
_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')


@dataclass
class Package:
    """The parts of an OOXML workbook that Feeds needs, by normalised name (some writers use
    backslashes, some put workbook.xml at the package root)."""
    zip: zipfile.ZipFile
    parts: dict[str, zipfile.ZipInfo]
    workbook: str
    sheets: list[tuple[str, str]]  # (name, part) in workbook order
    styles: str | None
    shared_strings: str | None


def _norm(name: str) -> str:
    return name.replace("\\", "/").lstrip("/")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rels(zf: zipfile.ZipFile, parts: dict, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type's last word, target part) of `part`."""
    rels_name = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
    info = parts.get(rels_name)
    if info is None:
        return {}
    out = {}
    for el in ET.fromstring(zf.read(info)).iter():
        if _local(el.tag) == "Relationship" and el.get("Id") and el.get("Target"):
            target = _norm(el.get("Target"))
            if not el.get("Target").startswith("/"):
                target = posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
            out[el.get("Id")] = (el.get("Type", "").rsplit("/", 1)[-1], target)
    return out


def open_package(path: Path, limits: Limits) -> Package:
    try:
        zf = zipfile.ZipFile(path)
        parts = {_norm(i.filename): i for i in zf.infolist()}
        root = _rels(zf, parts, "")  # _rels/.rels
        workbook = next((t for kind, t in root.values() if kind == "officeDocument" and t in parts), None)
        if workbook is None:
            workbook = next((n for n in parts if n.endswith("workbook.xml")), None)
        if workbook is None:
            raise ConvertError(f"{path}: looks like a zip package without a workbook part")
        if parts[workbook].file_size > limits.max_bytes:
            raise limits.refuse(path, f"{workbook} declares {parts[workbook].file_size:,} bytes", "max_bytes")
        wb_rels = _rels(zf, parts, workbook)
        sheets = []
        for el in ET.fromstring(zf.read(parts[workbook])).iter():
            if _local(el.tag) == "sheet":
                rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
                kind, target = wb_rels.get(rid, ("", ""))
                sheets.append((el.get("name") or f"Sheet{len(sheets) + 1}", target if kind != "chartsheet" else ""))
        styles = next((t for kind, t in wb_rels.values() if kind == "styles" and t in parts), None)
        sst = next((t for kind, t in wb_rels.values() if kind == "sharedStrings" and t in parts), None)
    except ConvertError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ET.ParseError, KeyError, OSError, EOFError, ValueError,
            zlib.error) as e:
        raise ConvertError(f"{path}: looks like an XLSX workbook whose package is damaged ({type(e).__name__}: {e})") from None
    return Package(zf, parts, workbook, sheets, styles, sst)


def _styles(pkg: Package, limits: Limits) -> tuple[dict[int, int], set[int]]:
    """cellXfs index -> zero-pad width, and the set of indices whose format shows date and time."""
    if pkg.styles is None or pkg.parts[pkg.styles].file_size > limits.max_bytes:
        return {}, set()
    formats = {22: "m/d/yy h:mm"}
    xfs: list[int] = []
    in_cell_xfs = False
    try:
        with pkg.zip.open(pkg.parts[pkg.styles]) as f:
            for event, el in ET.iterparse(f, events=("start", "end")):
                tag = _local(el.tag)
                if tag == "cellXfs":
                    in_cell_xfs = event == "start"
                elif event == "end" and tag == "numFmt":
                    try:
                        formats[int(el.get("numFmtId", ""))] = el.get("formatCode") or ""
                    except ValueError:
                        pass
                elif event == "start" and tag == "xf" and in_cell_xfs:
                    try:
                        xfs.append(int(el.get("numFmtId") or 0))
                    except ValueError:
                        xfs.append(0)
    except (ET.ParseError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        return {}, set()  # calamine reads what it can; the values keep their general format
    zeros = {i: zero_pad_width(formats.get(f)) for i, f in enumerate(xfs) if zero_pad_width(formats.get(f))}
    datetimes = {i for i, f in enumerate(xfs) if is_datetime_format(formats.get(f))}
    return zeros, datetimes


@dataclass
class Scan:
    """What the pre-scan found in one sheet part (rows and columns 1-based)."""
    bytes: int = 0
    cells: int = 0
    positions_known: bool = True
    unnumbered_rows: int = 0
    rows: int = 0
    max_row: int = 0
    max_col: int = 0
    dimension: str = ""
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    zeros: dict[tuple[int, int], int] = field(default_factory=dict)
    midnight: set[tuple[int, int]] = field(default_factory=set)
    truncated: bool = False

    @property
    def extent(self) -> int:
        return (max(self.max_row, self.rows) + self.unnumbered_rows) * max(self.max_col, 1)


def _style_regex(indices, tail: bytes = b"") -> list[tuple[bytes, re.Pattern]]:
    """Cells of these styles, one pattern per style: each starts with the literal style attribute,
    which the regex engine scans for at C speed (a pattern starting `<c r=`, or an alternation of
    styles, would try every cell); the cell's reference is found backwards from each hit. The
    literal also guards the search: `in` is a plain byte search."""
    return [(b' s="%d"' % i, re.compile(rb' s="(%d)"' % i + tail)) for i in sorted(indices)]


_REF_AT = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"')


def _refs(data: bytes, pattern: re.Pattern) -> Iterator[tuple[int, int, re.Match]]:
    """(row, column, match) of every cell that `pattern` finds, from the `<c r="…"` before it."""
    for m in pattern.finditer(data):
        start = data.rfind(b"<c ", 0, m.start())
        ref = _REF_AT.match(data, start) if start >= 0 else None
        if ref is not None:
            yield int(ref.group(2)), col_number(ref.group(1).decode()), m


def prescan(pkg: Package, part: str, limits: Limits, started: float, path: Path) -> Scan:
    info = pkg.parts.get(part)
    if info is None:
        raise ConvertError(f"{path}: the sheet part {part or '(none)'} is missing from the package (damaged workbook)")
    if info.file_size > limits.max_bytes:
        raise limits.refuse(path, f"sheet part {part} declares {info.file_size:,} bytes uncompressed", "max_bytes")
    zeros_by_xf, datetime_xfs = _styles(pkg, limits)
    zeros_re = _style_regex(zeros_by_xf)
    midnight_re = _style_regex(datetime_xfs, rb'(?: t="n")?><v>\d+(?:\.0*)?</v>')
    scan = Scan()
    carry = b""
    try:
        with pkg.zip.open(info) as f:
            while True:
                block = f.read(CHUNK)
                if not block and not carry:
                    break
                data = carry + block
                if block:  # keep an unfinished cell for the next round
                    cut = data.rfind(b"</c>")
                    cut = data.rfind(b"<c ") if cut < 0 else cut + 4
                    if cut <= 0:
                        cut = len(data)
                    data, carry = data[:cut], data[cut:]
                else:
                    carry = b""
                scan.bytes += len(block)
                scan.cells += data.count(b"<c ")  # the limits first: a bomb costs one pass, not the whole scan
                if not scan.dimension and scan.bytes <= CHUNK:
                    m = _DIMENSION.search(data, 0, 4096)
                    scan.dimension = m.group(1).decode() if m else ""
                if scan.bytes > limits.max_bytes:
                    raise limits.refuse(path, f"sheet part {part} expands past {scan.bytes:,} bytes{_declared(scan)}",
                                        "max_bytes")
                if scan.cells > limits.max_cells:
                    raise limits.refuse(path, f"sheet {part} holds more than {scan.cells:,} cells{_declared(scan)}",
                                        "max_cells")
                if time.monotonic() - started > limits.max_seconds:
                    raise limits.refuse(path, f"reading sheet {part} took {time.monotonic() - started:.0f} s",
                                        "max_seconds")
                _scan_block(scan, data, zeros_re, zeros_by_xf, midnight_re)
                if not block:
                    break
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error) as e:
        raise ConvertError(f"{path}: the workbook is damaged: sheet part {part} cannot be read "
                           f"({type(e).__name__}: {e})") from None
    return scan


def _declared(scan: Scan) -> str:
    return f" (it declares {scan.dimension})" if scan.dimension else ""


def _scan_block(scan: Scan, data: bytes, zeros_re, zeros_by_xf, midnight_re) -> None:
    """Everything but the limits, on one block of whole cells: plain byte searches and counts, and
    regexes that start with a literal, so the common case never leaves C."""
    rows = _ROW_R.findall(data)
    all_rows = data.count(b"<row")
    if len(rows) < all_rows:  # r= not the first attribute, or no r= at all
        rows = _ROW_ANY_R.findall(data)
        scan.unnumbered_rows += all_rows - len(rows)
    scan.rows += all_rows
    if rows:
        scan.max_row = max(scan.max_row, max(map(int, rows)))
    long_cols = _LONG_COL.findall(data)  # columns past Z; the regex starts with a literal
    if long_cols:
        scan.max_col = max(scan.max_col, col_number(max(set(long_cols), key=lambda c: (len(c), c)).decode()))
    elif b'<c r="' in data:
        scan.max_col = max(scan.max_col, 26)
    hits = False
    if b' t="e"' in data:
        hits = True
        for row, col, m in _refs(data, _ERROR):
            scan.errors.append((row, col, (m.group(1) or b"").decode("utf-8", "replace")))
    if len(scan.zeros) + len(scan.midnight) > SIDE_TABLE_MAX:
        scan.truncated = True
        return
    for literal, pattern in zeros_re:
        if literal in data:
            hits = True
            for row, col, m in _refs(data, pattern):
                scan.zeros[(row, col)] = zeros_by_xf[int(m.group(1))]
    for literal, pattern in midnight_re:
        if literal in data:
            hits = True
            for row, col, _ in _refs(data, pattern):
                scan.midnight.add((row, col))
    if hits and scan.positions_known and data.count(b'<c r="') != data.count(b"<c "):
        # a cell whose first attribute is not r="…" where fix-ups are needed: they cannot place it.
        # (A cell with no attribute at all needs none; if such cells widen the sheet past the
        # scan's estimate, the capped calamine child runs out of memory and the sheet streams.)
        scan.positions_known = False


def plan_xlsx(path: Path, sheet, merged: str, warnings: list[str], info: dict, limits: Limits,
              started: float) -> Plan:
    pkg = open_package(path, limits)
    try:
        names = [n for n, _ in pkg.sheets]
        if not names:
            raise ConvertError(f"{path}: the workbook lists no sheets")
        i = pick(names, sheet)
        name, part = pkg.sheets[i]
        info["sheet"] = name
        if not part:
            raise ConvertError(f"{path}: sheet {name!r} is a chart sheet, not a table")
        if part not in pkg.parts:
            raise ConvertError(f"{path}: the sheet part {part} of sheet {name!r} is missing from the package "
                               "(damaged workbook)")
        if pkg.shared_strings and pkg.parts[pkg.shared_strings].file_size > limits.max_bytes:
            raise limits.refuse(path, f"the shared strings declare {pkg.parts[pkg.shared_strings].file_size:,} bytes",
                                "max_bytes")
    except BaseException:
        pkg.zip.close()
        raise

    def scan() -> Fixups:
        try:
            found = prescan(pkg, part, limits, started, path)
        finally:
            pkg.zip.close()
        if found.extent > limits.max_cells:
            raise limits.refuse(path, f"sheet {name!r} spans {max(found.max_row, found.rows):,} rows x "
                                f"{found.max_col:,} columns = {found.extent:,} cells{_declared(found)}", "max_cells")
        if not found.positions_known:
            warnings.append(f"sheet {name!r} has cells without a reference; error values and number formats "
                            "are not checked in those")
        if found.truncated:
            warnings.append(f"more than {SIDE_TABLE_MAX:,} cells need a fix-up (zero padding, midnight); the rest "
                            "are written as calamine reads them")
        return Fixups(found.errors, found.zeros, found.midnight)

    def streamed() -> Iterator[list[str]]:
        info["reader"] = "openpyxl-streaming"
        return _openpyxl_rows(path, i, merged, warnings)

    declared = pkg.parts[part].file_size
    need_mb = BASE_MB + (declared / XML_BYTES_PER_CELL * (BYTES_PER_CELL + 32) + _strings_bytes(pkg, declared)) / (1 << 20)
    if need_mb > limits.memory_mb:
        def scan_then_stream() -> Iterator[list[str]]:
            scan()  # the limits, before anything is read; openpyxl gives errors and number formats itself
            yield from streamed()
        return Plan(rows=scan_then_stream(), what="an XLSX workbook")
    return Plan(produce=lambda w, inf: calamine_rows(path, name, merged, "an XLSX workbook"), scan=scan,
                fallback=streamed, what="an XLSX workbook")


def _strings_bytes(pkg: Package, sheet_bytes: int) -> int:
    """calamine copies a shared string into every cell that uses it: the table, plus the text
    cells (counted as half the cells: counting them would cost a pass) times its average string."""
    if not pkg.shared_strings:
        return 0
    info = pkg.parts[pkg.shared_strings]
    try:
        with pkg.zip.open(info) as f:
            head = f.read(4096)
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
        head = b""
    m = re.search(rb'uniqueCount="(\d+)"', head)
    unique = int(m.group(1)) if m else 0
    average = min(info.file_size / unique if unique else 64, 256)
    cells = sheet_bytes / XML_BYTES_PER_CELL
    return info.file_size + int(cells * (average + 24) / 2)  # about half the cells are text


def _openpyxl_rows(path: Path, index: int, merged: str, warnings: list[str]) -> Iterator[list[str]]:
    """A sheet too large for calamine's whole-sheet read: openpyxl read-only, one row at a time."""
    import openpyxl
    fh = open(path, "rb")  # a file object: openpyxl would refuse a name not ending in .xlsx
    try:
        try:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True, keep_links=False)
            ws = wb.worksheets[index]
            ws.reset_dimensions()
            merges = Merges(_merged_ranges(wb, ws), merged)
        except MemoryError:  # past the memory cap: convert() names FEEDS_CONVERT_MEMORY_MB
            raise
        except Exception as e:  # openpyxl raises many kinds on damaged parts
            raise ConvertError(f"{path}: a sheet this large is streamed with openpyxl, which cannot read this "
                               f"workbook ({type(e).__name__}: {e})") from None
        try:
            rowno = 0
            for cells in ws.iter_rows():
                rowno += 1
                out = []
                for cell in cells:
                    v = cell.value
                    if cell.data_type == "e" or (isinstance(v, str) and cell.data_type != "s" and v in EXCEL_ERRORS):
                        if v is not None:
                            warnings.append(f"{getattr(cell, 'coordinate', f'row {rowno}')}: error value {v} "
                                            "written as empty")
                        out.append("")
                        continue
                    out.append(decode_escapes(v) if isinstance(v, str) else fmt_value(v, getattr(cell, "number_format", None)))
                yield merges.apply(rowno, out)
        except ConvertError:
            raise
        except MemoryError:  # past the memory cap: convert() names FEEDS_CONVERT_MEMORY_MB
            raise
        except Exception as e:
            raise ConvertError(f"{path}: the workbook is damaged at row {rowno + 1} of the sheet "
                               f"({type(e).__name__}: {e})") from None
        finally:
            wb.close()
    finally:
        fh.close()


def _merged_ranges(wb, ws) -> list[tuple[int, int, int, int]]:
    """Read-only worksheets do not expose merged cells; read <mergeCell ref=…> from the sheet part
    (they follow the cell data), clearing every element as it passes so memory stays small."""
    ranges = []
    with wb._archive.open(ws._worksheet_path) as src:
        for _, el in ET.iterparse(src, events=("end",)):
            if _local(el.tag) == "mergeCell":
                ranges.append(parse_ref(el.get("ref")))
            el.clear()
    return ranges
