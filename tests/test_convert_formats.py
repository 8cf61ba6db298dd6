"""The converter on every kind of workbook a client sends (issue 12) and on hostile ones (issue 11):
XLSB and ODS (hand-built: no writer library exists here), password-protected packages (encrypted
with msoffcrypto-tool), Strict OOXML, an empty style attribute, backslash zip paths, `_x000D_`,
durations, a huge declared dimension, expansion bombs, a reader that runs out of memory, a damaged
XLS that calamine still reads, limits set through the environment. Each with the CSV a person
expects or the refusal that names the real reason."""
import csv
import datetime as dt
import io
import struct
import subprocess
import zipfile

import openpyxl
import pytest
import xlwt

from conftest import ROOT
from shims import xls_to_csv as x
from shims.excel.common import Limits


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def refused(src, match, **kw):
    with pytest.raises(x.ConvertError, match=match) as e:
        x.convert(src, **kw)
    assert str(src) in str(e.value)
    assert not x.default_output(src).exists()
    return str(e.value)


# --- hand-built packages ------------------------------------------------------------------------

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"


def xlsx_parts(cells='<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="B1"><v>1</v></c></row>',
               dim="A1:B1", main=MAIN, rel=REL, wb_dir="xl/", workbook_extra="", sheet_tail=""):
    """The parts of a minimal XLSX whose one sheet holds `cells` (the <sheetData> content)."""
    pkg_rel = "http://schemas.openxmlformats.org/package/2006/relationships"
    return {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
                               'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                               f'<Override PartName="/{wb_dir}workbook.xml" ContentType="application/vnd.openxmlformats-'
                               'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/'
                               f'{wb_dir}worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
                               'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="{pkg_rel}"><Relationship Id="rId1" '
                       f'Type="{rel}/officeDocument" Target="{wb_dir}workbook.xml"/></Relationships>',
        f"{wb_dir}workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                                 f'<sheet name="Data" sheetId="1" r:id="rId1"/></sheets>{workbook_extra}</workbook>',
        f"{wb_dir}_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="{pkg_rel}"><Relationship '
                                            f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                                            '</Relationships>',
        f"{wb_dir}worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="{main}"><dimension ref="{dim}"/>'
                                          f'<sheetData>{cells}</sheetData>{sheet_tail}</worksheet>',
    }


def write_zip(path, parts, sep="/"):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name.replace("/", sep) if name.startswith("xl") else name, data)
    return path


def _varint(n):
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _rec(rtype, body=b""):
    return _varint(rtype) + _varint(len(body)) + body


def _wide(s):
    return struct.pack("<I", len(s)) + s.encode("utf-16-le")


def make_xlsb(path, sheets):
    """An XLSB package built record by record (MS-XLSB): workbook.bin with one BrtBundleSh per
    sheet, each sheet's BrtWsDim, BrtRowHdr and BrtCellReal/BrtCellSt/BrtCellBool records.
    `sheets` maps a name to {(row, col): value} (0-based) or to a list of rows."""
    parts, rels, wb = {}, [], b""
    for i, (name, cells) in enumerate(sheets.items(), 1):
        if isinstance(cells, list):
            cells = {(r, c): v for r, row in enumerate(cells) for c, v in enumerate(row) if v is not None}
        rels.append(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.bin"/>')
        wb += _rec(0x9C, struct.pack("<II", 0, i) + _wide(f"rId{i}") + _wide(name))
        last_row = max((r for r, _ in cells), default=0)
        last_col = max((c for _, c in cells), default=0)
        body = _rec(0x81) + _rec(0x94, struct.pack("<IIII", 0, last_row, 0, last_col)) + _rec(0x91)
        for r in sorted({r for r, _ in cells}):
            body += _rec(0x00, struct.pack("<I", r) + b"\x00" * 13)
            for (_, c), v in sorted((k, v) for k, v in cells.items() if k[0] == r):
                head = struct.pack("<I", c) + b"\x00\x00\x00\x00"
                if isinstance(v, bool):
                    body += _rec(0x04, head + bytes([v]))
                elif isinstance(v, (int, float)):
                    body += _rec(0x05, head + struct.pack("<d", v))
                else:
                    body += _rec(0x06, head + _wide(v))
        parts[f"xl/worksheets/sheet{i}.bin"] = body + _rec(0x92) + _rec(0x82)
    parts["xl/workbook.bin"] = _rec(0x83) + _rec(0x8F) + wb + _rec(0x90) + _rec(0x9D, b"\x00" * 20) + _rec(0x84)
    pkg_rel = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts["xl/_rels/workbook.bin.rels"] = f'<Relationships xmlns="{pkg_rel}">{"".join(rels)}</Relationships>'
    parts["_rels/.rels"] = (f'<Relationships xmlns="{pkg_rel}"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                            'Target="xl/workbook.bin"/></Relationships>')
    parts["[Content_Types].xml"] = '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'
    return write_zip(path, parts)


ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def ods_cell(kind, value=None, text="", **attrs):
    extra = "".join(f' {k.replace("_", ":", 1).replace("_", "-")}="{v}"' for k, v in attrs.items())
    if kind == "string":
        return f'<table:table-cell office:value-type="string"{extra}><text:p>{value}</text:p></table:table-cell>'
    if kind is None:
        return f"<table:table-cell{extra}/>"
    attr = {"float": "office:value", "date": "office:date-value", "boolean": "office:boolean-value",
            "time": "office:time-value"}[kind]
    return (f'<table:table-cell office:value-type="{kind}" {attr}="{value}"{extra}><text:p>{text or value}</text:p>'
            "</table:table-cell>")


def make_ods(path, tables, mimetype="application/vnd.oasis.opendocument.spreadsheet"):
    body = "".join(f'<table:table table:name="{name}">'
                   + "".join(f"<table:table-row>{''.join(row)}</table:table-row>" for row in rows) + "</table:table>"
                   for name, rows in tables.items())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # first and stored, as ODF asks
        z.writestr("META-INF/manifest.xml", '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
                                            f'xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                                            f'manifest:media-type="{mimetype}"/></manifest:manifest>')
        z.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODS_NS} '
                                  'office:version="1.2"><office:body><office:spreadsheet>'
                                  f"{body}</office:spreadsheet></office:body></office:document-content>")
    return path


# --- formats calamine brings ----------------------------------------------------------------------

def test_xlsb_is_read(tmp_path):
    src = make_xlsb(tmp_path / "report.xlsb", {"Data": [["id", "name", "ok"], [1, "Zoë", True], [2.5, None, False]],
                                              "Second": [["x"]]})
    r = x.convert(src)
    assert (r.fmt, r.sheet) == ("xlsb", "Data")
    assert read_csv(r.output) == [["id", "name", "ok"], ["1", "Zoë", "true"], ["2.5", "", "false"]]
    assert read_csv(x.convert(src, sheet="Second").output) == [["x"]]


def test_ods_is_read_with_dates_durations_and_repeated_cells(tmp_path):
    src = make_ods(tmp_path / "list.ods", {
        "Data": [[ods_cell("string", "code"), ods_cell("string", "amount"), ods_cell("string", "when"),
                  ods_cell("string", "ok"), ods_cell("string", "took")],
                 [ods_cell("string", "00123"), ods_cell("float", "2.5"), ods_cell("date", "2026-01-05"),
                  ods_cell("boolean", "true"), ods_cell("time", "PT255H10M10S")],
                 [ods_cell(None, table_number_columns_repeated=2), ods_cell("float", "7")],
                 [ods_cell("date", "2026-01-05T14:30:15")]],
        "Other": [[ods_cell("string", "other")]]})
    r = x.convert(src)
    assert (r.fmt, r.sheet) == ("ods", "Data")
    assert read_csv(r.output) == [["code", "amount", "when", "ok", "took"],
                                  ["00123", "2.5", "2026-01-05", "true", "255:10:10"],
                                  ["", "", "7", "", ""],
                                  ["2026-01-05 14:30:15", "", "", "", ""]]
    assert read_csv(x.convert(src, sheet="2").output) == [["other"]]


def test_other_opendocument_and_zip_files_are_named(tmp_path):
    odt = make_ods(tmp_path / "letter.xlsx", {}, mimetype="application/vnd.oasis.opendocument.text")
    refused(odt, "OpenDocument text document")
    other = write_zip(tmp_path / "photos.xlsx", {"a.jpg": "x"})
    refused(other, "zip archive that is not an Excel workbook")


# --- password-protected ---------------------------------------------------------------------------

def _encrypt(src, dest):
    from msoffcrypto.format.ooxml import OOXMLFile
    with open(src, "rb") as f, open(dest, "wb") as out:
        OOXMLFile(f).encrypt("secret", out)
    return dest


@pytest.mark.parametrize("kind", ["xlsx", "xlsb"])
def test_password_protected_workbooks_are_refused_saying_so(tmp_path, kind):
    if kind == "xlsx":
        wb = openpyxl.Workbook()
        wb.active.append(["secret", 1])
        wb.save(tmp_path / "plain.xlsx")
    else:
        make_xlsb(tmp_path / "plain.xlsx", {"Data": [["secret", 1]]})
    src = _encrypt(tmp_path / "plain.xlsx", tmp_path / f"locked.{kind}")
    assert src.read_bytes()[:8] == x.OLE2_MAGIC
    message = refused(src, "password-protected")
    assert "Feeds does not take passwords" in message and "OLE2" not in message


# --- what the old reader crashed on or refused -------------------------------------------------------

@pytest.mark.parametrize("case,parts,sep", [
    ("strict OOXML whose defined name points nowhere",
     xlsx_parts(main=STRICT_MAIN, rel=STRICT_REL, workbook_extra='<definedNames><definedName name="gone">#REF!'
                '</definedName></definedNames>'), "/"),
    ("an empty style attribute", xlsx_parts(cells='<row r="1"><c r="A1" s="" t="inlineStr"><is><t>a</t></is></c>'
                                                  '<c r="B1" s=""><v>1</v></c></row>'), "/"),
    ("zip entries with backslashes", xlsx_parts(), "\\"),
    ("workbook.xml at the package root", xlsx_parts(wb_dir=""), "/"),
])
def test_workbooks_the_old_reader_could_not_read(tmp_path, case, parts, sep):
    src = write_zip(tmp_path / "odd.xlsx", parts, sep)
    r = x.convert(src)
    assert (r.fmt, r.sheet) == ("xlsx", "Data"), case
    assert read_csv(r.output) == [["a", "1"]], case


def test_no_shared_strings_part_and_escaped_carriage_returns(tmp_path):
    src = tmp_path / "escapes.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["line 1_x000D_\nline 2", "tab_x0009_here"])
    wb.save(src)
    with zipfile.ZipFile(src) as z:
        assert "xl/sharedStrings.xml" not in z.namelist()  # openpyxl writes inline strings
    assert read_csv(x.convert(src).output) == [["line 1\r\nline 2", "tab\there"]]


def test_damaged_xls_that_calamine_still_reads_is_read_with_a_warning(tmp_path):
    good = tmp_path / "good.xls"
    wb = xlwt.Workbook()
    ws = wb.add_sheet("S")
    for i in range(3):
        ws.write(i, 0, f"text {i}")
        ws.write(i, 1, i)
    wb.save(str(good))
    data = bytearray(good.read_bytes())
    at = data.find(b"\xfc\x00")  # the SST record: claim 9 unique strings where there are 3
    assert struct.unpack_from("<II", data, at + 4) == (3, 3)
    struct.pack_into("<II", data, at + 4, 3, 9)
    src = tmp_path / "bad_sst.xls"
    src.write_bytes(data)
    r = x.convert(src)
    assert read_csv(r.output) == [["text 0", "0"], ["text 1", "1"], ["text 2", "2"]]
    assert any("damaged" in w and "calamine" in w for w in r.warnings)


def test_a_biff_stream_without_an_ole2_container_is_read(tmp_path):
    # Excel 2-4 saved a bare BIFF stream; the old converter called it "binary data of an unknown kind"
    import os
    from xlrd import compdoc
    wb = xlwt.Workbook()
    ws = wb.add_sheet("Old")
    ws.write(0, 0, "name")
    ws.write(0, 1, 42)
    wb.save(str(tmp_path / "ole.xls"))
    doc = compdoc.CompDoc((tmp_path / "ole.xls").read_bytes(), logfile=open(os.devnull, "w"))
    src = tmp_path / "bare.xls"
    src.write_bytes(doc.get_named_stream("Workbook"))
    assert src.read_bytes()[:2] == b"\x09\x08"
    r = x.convert(src)
    assert (r.fmt, r.reader, r.sheet) == ("xls", "xlrd", "Old")
    assert read_csv(r.output) == [["name", "42"]]


# --- values -------------------------------------------------------------------------------------------

def test_durations_and_numbers_that_are_not_dates_in_xlsx_and_xls(tmp_path):
    xlsx = tmp_path / "times.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([dt.timedelta(hours=255, minutes=10, seconds=10), 3000000.0, dt.datetime(2026, 2, 1)])
    ws["A1"].number_format = "[hh]:mm:ss"
    ws["B1"].number_format = "yyyy-mm-dd"
    ws["C1"].number_format = "yyyy-mm-dd hh:mm"
    wb.save(xlsx)
    xls = tmp_path / "times.xls"
    book = xlwt.Workbook()
    sheet = book.add_sheet("S")
    sheet.write(0, 0, 255 / 24 + 10 / 1440 + 10 / 86400, xlwt.easyxf(num_format_str="[hh]:mm:ss"))
    sheet.write(0, 1, 3000000.0, xlwt.easyxf(num_format_str="yyyy-mm-dd"))
    sheet.write(0, 2, dt.datetime(2026, 2, 1), xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm"))
    sheet.row(0).set_cell_error(3, "#DIV/0!")
    book.save(str(xls))
    assert read_csv(x.convert(xlsx).output) == [["255:10:10", "3000000", "2026-02-01 00:00:00"]]
    r = x.convert(xls)
    assert read_csv(r.output) == [["255:10:10", "3000000", "2026-02-01 00:00:00"]]
    assert r.warnings == ["D1: error value #DIV/0! written as empty"]


# --- bombs and limits -----------------------------------------------------------------------------------

def test_a_huge_declared_dimension_over_few_cells_is_read(tmp_path):
    src = write_zip(tmp_path / "liar.xlsx", xlsx_parts(dim="A1:XFD1048576"))
    assert read_csv(x.convert(src).output) == [["a", "1"]]


def test_cells_far_apart_are_refused_before_anything_is_allocated(tmp_path):
    cells = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    src = write_zip(tmp_path / "sparse.xlsx", xlsx_parts(cells=cells, dim="A1:XFD1048576"))
    message = refused(src, r"1,048,576 rows x 16,384 columns")
    assert "FEEDS_CONVERT_MAX_CELLS" in message and "declares A1:XFD1048576" in message


def _bomb(path, megabytes, cell=b'<c r="A1" t="n"><v>1</v></c>'):
    """A sheet of `megabytes` of one repeated cell: it compresses about a thousandfold."""
    parts = xlsx_parts(cells="@", dim="A1:XFD1048576")
    sheet = parts.pop("xl/worksheets/sheet1.xml").encode()
    head, tail = sheet.split(b"@")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
        with z.open("xl/worksheets/sheet1.xml", "w") as f:
            f.write(head + b'<row r="1">')
            chunk = cell * ((1 << 20) // len(cell))
            for _ in range(megabytes):
                f.write(chunk)
            f.write(b"</row>" + tail)
    return path


def test_an_expanding_bomb_is_refused_naming_the_byte_limit(tmp_path, monkeypatch):
    src = _bomb(tmp_path / "bomb.xlsx", 40)
    assert src.stat().st_size < 1 << 20
    monkeypatch.setenv("FEEDS_CONVERT_MAX_BYTES", str(8 << 20))
    message = refused(src, r"declares [\d,]+ bytes uncompressed")
    assert "over the limit of 8,388,608 bytes (FEEDS_CONVERT_MAX_BYTES)" in message


def test_a_bomb_that_lies_about_its_size_is_refused_as_damaged(tmp_path):
    src = _bomb(tmp_path / "bomb.xlsx", 40)
    data = bytearray(src.read_bytes())
    # rewrite the sheet's uncompressed size in the central directory and the local header to 1 KB
    with zipfile.ZipFile(src) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    assert info.file_size > 40 << 20
    real = struct.pack("<I", info.file_size)
    assert data.count(real) == 2
    data = data.replace(real, struct.pack("<I", 1024))
    src.write_bytes(data)
    # read only as far as the size it declares: the CRC then tells it is not what it claims
    refused(src, r"the workbook is damaged: sheet part xl/worksheets/sheet1.xml cannot be read .*CRC",
            limits=Limits(max_bytes=8 << 20))


def test_a_bomb_of_cells_is_refused_naming_the_cell_limit(tmp_path):
    src = _bomb(tmp_path / "cells.xlsx", 8)
    message = refused(src, r"holds more than [\d,]+ cells", limits=Limits(max_cells=100_000))
    assert "over the limit of 100,000 cells (FEEDS_CONVERT_MAX_CELLS)" in message


def test_a_reader_out_of_memory_falls_back_to_streaming_and_feeds_goes_on(tmp_path):
    # calamine's dense range for A1..XFD1000 is 16 million cells (512 MB): over the capped child.
    cells = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1000"><c r="XFD1000"><v>2</v></c></row>'
    src = write_zip(tmp_path / "wide.xlsx", xlsx_parts(cells=cells, dim="A1"))
    r = x.convert(src, limits=Limits(memory_mb=60))
    assert any("calamine needed more than 60 MB" in w for w in r.warnings)
    assert r.reader == "openpyxl-streaming" and (r.rows, r.columns) == (1000, 16384)
    rows = read_csv(r.output)
    assert rows[0][0] == "1" and rows[-1][-1] == "2" and all(len(row) == 16384 for row in rows)


def test_a_format_without_a_streaming_reader_is_refused_naming_the_memory_limit(tmp_path):
    src = make_xlsb(tmp_path / "wide.xlsb", {"Data": {(0, 0): 1.0, (1000, 16000): 2.0}})
    message = refused(src, "needs more memory than the limit of 60 MB", limits=Limits(memory_mb=60))
    assert "FEEDS_CONVERT_MEMORY_MB" in message


def test_limits_come_from_the_environment(tmp_path, monkeypatch):
    src = tmp_path / "ten.csv"
    src.write_text("".join(f"{i},x\n" for i in range(5)))
    monkeypatch.setenv("FEEDS_CONVERT_MAX_CELLS", "abc")
    with pytest.raises(x.ConvertError, match=r"FEEDS_CONVERT_MAX_CELLS='abc' is not a number"):
        x.convert(src)
    monkeypatch.setenv("FEEDS_CONVERT_MAX_CELLS", "9")
    refused(src, r"more than 10 cells, over the limit of 9 cells \(FEEDS_CONVERT_MAX_CELLS\)")
    monkeypatch.setenv("FEEDS_CONVERT_MAX_CELLS", "10")
    assert len(read_csv(x.convert(src).output)) == 5
    x.default_output(src).unlink()
    monkeypatch.setenv("FEEDS_CONVERT_MAX_SECONDS", "0.000001")
    refused(src, r"FEEDS_CONVERT_MAX_SECONDS")


def test_feeds_convert_refuses_every_hostile_file_without_a_traceback(tmp_path):
    cells = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
    hostile = [
        write_zip(tmp_path / "sparse.xlsx", xlsx_parts(cells=cells)),
        _bomb(tmp_path / "bomb.xlsx", 4),
        tmp_path / "cut.xlsx",
        tmp_path / "ole.xls",
        tmp_path / "garbage.xlsb",
    ]
    full = (tmp_path / "sparse.xlsx").read_bytes()
    hostile[2].write_bytes(full[: len(full) // 2])
    hostile[3].write_bytes(x.OLE2_MAGIC + b"\x00" * 600)
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("xl/workbook.bin", b"\xff" * 64)
    hostile[4].write_bytes(broken.getvalue())
    env = {"FEEDS_CONVERT_MAX_BYTES": str(1 << 20), "PATH": "/usr/bin:/bin"}
    r = subprocess.run([str(ROOT / "bin/feeds"), "convert", "--no-log", *map(str, hostile)], capture_output=True,
                       text=True, env=env)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == len(hostile), r.stderr
    for path, line in zip(hostile, lines):
        assert line.startswith(f"feeds convert: {path}: "), line


def test_damaged_copies_of_every_format_give_a_csv_or_a_reason(tmp_path):
    """Cut and corrupted copies of a small workbook of each kind: each converts, or is refused with
    a ConvertError naming the file; nothing else escapes (deterministic offsets, no randomness)."""
    wb = openpyxl.Workbook()
    wb.active.append(["a", 1, dt.date(2026, 1, 1)])
    wb.save(tmp_path / "w.xlsx")
    book = xlwt.Workbook()
    book.add_sheet("S").write(0, 0, "a")
    book.save(str(tmp_path / "w.xls"))
    make_xlsb(tmp_path / "w.xlsb", {"S": [["a", 1.0]]})
    make_ods(tmp_path / "w.ods", {"S": [[ods_cell("string", "a"), ods_cell("float", "1")]]})
    outcomes = {"converted": 0, "refused": 0}
    for original in ("w.xlsx", "w.xls", "w.xlsb", "w.ods"):
        data = (tmp_path / original).read_bytes()
        for k in range(1, 8):
            cut = tmp_path / f"cut{k}_{original}"
            cut.write_bytes(data[: len(data) * k // 8])
            flipped = bytearray(data)
            for at in range(len(data) * k // 8, len(data), max(1, len(data) // 5)):
                flipped[at] ^= 0x5A
            bad = tmp_path / f"flip{k}_{original}"
            bad.write_bytes(bytes(flipped))
            for src in (cut, bad):
                try:
                    x.convert(src)
                    outcomes["converted"] += 1
                except x.ConvertError as e:
                    assert str(src) in str(e)
                    outcomes["refused"] += 1
    assert outcomes["refused"] > 0 and sum(outcomes.values()) == 56
