"""xls_to_csv as a user meets it: real XLSX (openpyxl), real BIFF XLS (xlwt), HTML saved as .xls,
SpreadsheetML 2003, CSV/TSV; wrong extensions; empty, 0-byte, corrupt and foreign files."""
import csv
import datetime as dt
import os
import stat
import subprocess
import sys
import uuid
import zipfile

import openpyxl
import pytest
import xlwt

from conftest import ROOT
from shims import xls_to_csv as x
from shims.db import RunLog


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def make_xlsx(path, sheets=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Orders"
    ws.append(["order_no", "qty", "price", "ordered", "at", "paid", "note"])
    ws.append(["00123", 3, 2.5, dt.date(2026, 1, 5), dt.datetime(2026, 1, 5, 14, 30, 15), True, "a,b \"c\""])
    ws.append(["00124", 4.0, 0.1 + 0.2, dt.date(1999, 12, 31), dt.datetime(2026, 2, 1, 0, 0), False, "ünïcødé"])
    ws.append(["00125", 1234567890123, -1.5e-3, None, None, None, None])
    ws["D4"].value = "=1/0"  # a formula without a cached value reads as empty
    ws.cell(row=5, column=1, value="#N/A")
    ws.cell(row=5, column=1).data_type = "e"
    ws.cell(row=5, column=2, value=7)
    ws.cell(row=5, column=3, value=42)
    ws.cell(row=5, column=3).number_format = "00000"
    # trailing empties: an empty-string cell far right and styled empty rows below
    ws.cell(row=8, column=12).value = None
    ws.cell(row=9, column=1).number_format = "0.00"
    for name, rows in (sheets or {}).items():
        s = wb.create_sheet(name)
        for r in rows:
            s.append(r)
    wb.save(path)
    return path


def test_xlsx_values_read_as_a_person_reads_them(tmp_path):
    src = make_xlsx(tmp_path / "orders.xlsx")
    r = x.convert(src)
    assert r.output == tmp_path / "orders.xlsx.csv" and r.fmt == "xlsx" and r.sheet == "Orders"
    rows = read_csv(r.output)
    assert rows[0] == ["order_no", "qty", "price", "ordered", "at", "paid", "note"]
    assert rows[1] == ["00123", "3", "2.5", "2026-01-05", "2026-01-05 14:30:15", "true", 'a,b "c"']
    assert rows[2] == ["00124", "4", "0.3", "1999-12-31", "2026-02-01 00:00:00", "false", "ünïcødé"]
    assert rows[3] == ["00125", "1234567890123", "-0.0015", "", "", "", ""]
    assert rows[4] == ["", "7", "00042", "", "", "", ""]
    assert len(rows) == 5 and r.rows == 5 and r.columns == 7
    assert any("A5" in w and "#N/A" in w for w in r.warnings)
    assert stat.S_IMODE(os.stat(r.output).st_mode) == 0o660
    raw = r.output.read_bytes()
    assert raw.count(b"\r\n") == 5 and not raw.startswith(b"\xef\xbb\xbf")


def test_xlsx_sheet_by_name_or_index_and_a_missing_sheet(tmp_path):
    src = make_xlsx(tmp_path / "book.xlsx", {"Second": [["a", "b"], [1, 2]]})
    assert read_csv(x.convert(src, sheet="Second").output) == [["a", "b"], ["1", "2"]]
    assert read_csv(x.convert(src, sheet="2").output) == [["a", "b"], ["1", "2"]]
    with pytest.raises(x.ConvertError, match=r"no sheet 'Third'.*'Orders', 'Second'"):
        x.convert(src, sheet="Third")


def test_xlsx_with_wrong_dimensions_is_read_whole(tmp_path):
    src = tmp_path / "dims.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(1, 11):
        ws.append([i, f"row {i}"])
    wb.save(src)
    # Some writers record a wrong <dimension>; rewrite it to claim a single cell.
    tmp = tmp_path / "dims2.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(tmp, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:B10" />', b'<dimension ref="A1" />')
                assert b'<dimension ref="A1" />' in data
            zout.writestr(item, data)
    rows = read_csv(x.convert(tmp).output)
    assert len(rows) == 10 and rows[9] == ["10", "row 10"]


@pytest.mark.parametrize("mode,expected", [
    ("fill", [["Region", "Region", "x"], ["North", "a", "1"], ["North", "b", "2"]]),
    ("empty", [["Region", "", "x"], ["North", "a", "1"], ["", "b", "2"]]),
])
def test_xlsx_merged_cells_filled_or_empty(tmp_path, mode, expected):
    src = tmp_path / "merged.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Region", None, "x"])
    ws.append(["North", "a", 1])
    ws.append([None, "b", 2])
    ws.merge_cells("A1:B1")
    ws.merge_cells("A2:A3")
    wb.save(src)
    assert read_csv(x.convert(src, merged=mode).output) == expected


def make_xls(path, datemode_1904=False):
    wb = xlwt.Workbook()
    if datemode_1904:
        wb.dates_1904 = True
    ws = wb.add_sheet("Companies")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    dt_style = xlwt.easyxf(num_format_str="YYYY-MM-DD hh:mm:ss")
    zeros = xlwt.easyxf(num_format_str="000000")
    for c, h in enumerate(["code", "name", "count", "since", "stamp", "active", "zip"]):
        ws.write(0, c, h)
    ws.write(1, 0, "007")
    ws.write(1, 1, "Acme, Inc.")
    ws.write(1, 2, 12.0)
    ws.write(1, 3, dt.date(2024, 2, 29), date_style)
    ws.write(1, 4, dt.datetime(2024, 3, 1, 8, 5, 0), dt_style)
    ws.write(1, 5, True)
    ws.write(1, 6, 1234, zeros)
    ws.write(2, 0, "008")
    ws.write(2, 1, "Beta")
    ws.write(2, 2, 2.75)
    ws.write(2, 5, False)
    ws.write_merge(3, 3, 0, 2, "merged")
    ws.write(5, 8, "")  # an empty string far right and below: trailing, dropped
    wb.add_sheet("Other").write(0, 0, "other")
    wb.save(str(path))
    return path


@pytest.mark.parametrize("dates_1904", [False, True])
def test_legacy_xls_through_xlrd_with_the_workbook_datemode(tmp_path, dates_1904):
    src = make_xls(tmp_path / "companies.xls", dates_1904)
    assert src.read_bytes()[:8] == x.OLE2_MAGIC
    r = x.convert(src)
    assert r.fmt == "xls" and r.sheet == "Companies"
    rows = read_csv(r.output)
    assert rows == [
        ["code", "name", "count", "since", "stamp", "active", "zip"],
        ["007", "Acme, Inc.", "12", "2024-02-29", "2024-03-01 08:05:00", "true", "001234"],
        ["008", "Beta", "2.75", "", "", "false", ""],
        ["merged", "merged", "merged", "", "", "", ""],
    ]
    assert read_csv(x.convert(src, sheet="Other").output) == [["other"]]


HTML_XLS = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<style>td {mso-number-format:"\\@";}</style></head><body>
<table id="layout"><tr><td><table><tr><td>nested, not data</td></tr></table></td></tr></table>
<table border="1" id="companies">
<tr><th>Company</th><th>Ticker</th><th>Attendees</th></tr>
<tr><td>Acme&nbsp;Corp</td><td>ACME</td><td>0012</td></tr>
<tr><td rowspan="2">Beta &amp; Sons</td><td colspan="2">BETA</td></tr>
<tr><td>BTS</td><td>3</td></tr>
<tr><td>Line<br>two</td><td></td><td></td></tr>
<tr><td></td><td></td><td></td></tr>
</table></body></html>
"""


def test_html_table_saved_as_xls(tmp_path):
    src = tmp_path / "meetmax_export.xls"
    src.write_text(HTML_XLS, encoding="utf-8")
    r = x.convert(src, sheet="companies")
    assert r.fmt == "html"
    assert read_csv(r.output) == [
        ["Company", "Ticker", "Attendees"],
        ["Acme Corp", "ACME", "0012"],
        ["Beta & Sons", "BETA", "BETA"],
        ["Beta & Sons", "BTS", "3"],
        ["Line\ntwo", "", ""],
    ]
    rows = read_csv(x.convert(src, sheet="companies", merged="empty").output)
    assert rows[2:4] == [["Beta & Sons", "BETA", ""], ["", "BTS", "3"]]
    # the default is the first table, here a layout table
    assert read_csv(x.convert(src, sheet="1").output)[0][0].startswith("nested")


SPREADSHEETML = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="First"><Table><Row><Cell><Data ss:Type="String">skip me</Data></Cell></Row></Table></Worksheet>
 <Worksheet ss:Name="Data">
  <Table>
   <Row><Cell><Data ss:Type="String">id</Data></Cell><Cell><Data ss:Type="String">when</Data></Cell>
        <Cell><Data ss:Type="String">ok</Data></Cell><Cell><Data ss:Type="String">amount</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String">0042</Data></Cell><Cell><Data ss:Type="DateTime">2025-07-01T00:00:00.000</Data></Cell>
        <Cell><Data ss:Type="Boolean">1</Data></Cell><Cell><Data ss:Type="Number">10</Data></Cell></Row>
   <Row><Cell ss:MergeDown="1"><Data ss:Type="String">span</Data></Cell><Cell><Data ss:Type="DateTime">2025-07-01T13:45:00.000</Data></Cell>
        <Cell><Data ss:Type="Boolean">0</Data></Cell><Cell><Data ss:Type="Error">#DIV/0!</Data></Cell></Row>
   <Row><Cell ss:Index="2" ss:MergeAcross="1"><Data ss:Type="String">wide</Data></Cell><Cell><Data ss:Type="Number">2.50</Data></Cell></Row>
   <Row ss:Index="6"><Cell ss:Index="4"><Data ss:Type="Number">1e3</Data></Cell></Row>
   <Row><Cell><Data ss:Type="String"></Data></Cell></Row>
  </Table>
 </Worksheet>
</Workbook>
"""


def test_spreadsheetml_2003(tmp_path):
    src = tmp_path / "legacy.xls"
    src.write_text(SPREADSHEETML, encoding="utf-8")
    r = x.convert(src, sheet="Data")
    assert r.fmt == "spreadsheetml" and r.sheet == "Data"
    assert read_csv(r.output) == [
        ["id", "when", "ok", "amount"],
        ["0042", "2025-07-01", "true", "10"],
        ["span", "2025-07-01 13:45:00", "false", ""],
        ["span", "wide", "wide", "2.5"],
        ["", "", "", ""],
        ["", "", "", "1000"],
    ]
    assert any("#DIV/0!" in w for w in r.warnings)
    assert read_csv(x.convert(src).output) == [["skip me"]]


def test_csv_and_tsv_pass_through_as_utf8_csv(tmp_path):
    tsv = tmp_path / "report.xls"  # a tab-separated file posing as .xls
    tsv.write_bytes("id\tname\n007\tZoë\n008\t\"quoted, with comma\"\n".encode("cp1252"))
    r = x.convert(tsv)
    assert r.fmt == "csv"
    assert read_csv(r.output) == [["id", "name"], ["007", "Zoë"], ["008", "quoted, with comma"]]
    c = tmp_path / "plain.csv"
    c.write_text('\ufeffa,b\n"x\ny",2\n\n\n', encoding="utf-8")
    assert read_csv(x.convert(c).output) == [["a", "b"], ["x\ny", "2"]]


JAPANESE = "会社名,所在地,担当者\n株式会社山田製作所,東京都千代田区,山田太郎\n有限会社鈴木商店,大阪府大阪市,鈴木花子\n"


@pytest.mark.parametrize("encoding,text,read_as", [
    ("latin-1", "Empresa,Ciudad,Contacto\nCompañía Ñandú S.A.,Mérida,José Pérez\nÓptica Güemes,Córdoba,María Núñez\n",
     "Windows-1252"),  # Latin-1 text is Windows-1252 text (the same characters from 0xA0 up)
    ("cp1252", "Empresa,Nota\nAcme “Best”,12 € — oferta\nBœuf & Cie,‘ok’ … fin\n", "Windows-1252"),
    ("shift_jis", JAPANESE, "Shift-JIS"),
    ("utf-16", JAPANESE, None),  # a byte-order mark says it: nothing is guessed
])
def test_a_csv_that_is_not_utf8_is_read_in_the_encoding_charset_normalizer_finds(tmp_path, encoding, text, read_as):
    src = tmp_path / "export.xls"
    src.write_bytes(text.encode(encoding))
    r = x.convert(src)
    assert read_csv(r.output) == [line.split(",") for line in text.splitlines()]
    guessed = [w for w in r.warnings if "not UTF-8" in w]
    assert guessed == ([f"not UTF-8: read as {read_as} (charset-normalizer's guess)"] if read_as else [])


def test_a_csv_in_an_encoding_the_converter_does_not_read_is_refused_naming_the_first_bad_byte(tmp_path):
    src = tmp_path / "export.xls"
    src.write_bytes("id,name\n1,ООО Ромашка\n2,АО Лютик\n".encode("cp1251"))  # Cyrillic Windows-1251
    with pytest.raises(x.ConvertError, match=r"export\.xls: line 2, column 3: byte 0xce is not UTF-8, and the text "
                                             r"reads as none of Windows-1252, Latin-1, Shift-JIS"):
        x.convert(src)
    assert [p.name for p in tmp_path.iterdir()] == ["export.xls"]


def test_excel_unicode_text_and_a_csv_holding_markup(tmp_path):
    utf16 = tmp_path / "export.xls"  # Excel's "Unicode Text": UTF-16 with a BOM, tab-separated
    utf16.write_bytes("id\tname\r\n1\tŁódź\r\n".encode("utf-16"))
    assert read_csv(x.convert(utf16).output) == [["id", "name"], ["1", "Łódź"]]
    snippet = tmp_path / "snippets.csv"
    snippet.write_text('id,html\n1,"<table><tr><td>x</td></tr></table>"\n')
    r = x.convert(snippet)
    assert r.fmt == "csv" and read_csv(r.output)[1] == ["1", "<table><tr><td>x</td></tr></table>"]
    page = tmp_path / "page.xls"
    page.write_text("<html><body><p>Access denied</p></body></html>")
    with pytest.raises(x.ConvertError, match="markup .* without a table"):
        x.convert(page)


def test_a_stray_windows_character_far_down_a_utf8_file_is_kept(tmp_path):
    src = tmp_path / "mostly_utf8.csv"
    src.write_bytes("id,name\n".encode() + b"".join(f"{i},Zoë\n".encode() for i in range(20000))
                    + b"20000,caf\xe9 \x80\n")
    r = x.convert(src)
    rows = read_csv(r.output)
    assert rows[1] == ["0", "Zoë"] and rows[-1] == ["20000", "café €"]
    assert any("Windows-1252" in w for w in r.warnings)


def test_the_extension_does_not_decide(tmp_path):
    xlsx_as_xls = make_xlsx(tmp_path / "really_xlsx.xls")
    xls_as_xlsx = make_xls(tmp_path / "really_xls.xlsx")
    assert x.convert(xlsx_as_xls).fmt == "xlsx"
    assert x.convert(xls_as_xlsx).fmt == "xls"


@pytest.mark.parametrize("content,message", [
    (b"", "empty (0 bytes)"),
    (b"  \r\n\r\n ", "empty (only blank lines"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF document"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "PNG image"),
    (b"PK\x03\x04\x14\x00\x00\x00garbage that is not a zip", "corrupt or truncated zip"),
    (b"\x00\x01\x02\x03\x04binary\x00", "binary data"),
    (b"<?xml version='1.0'?><note>hi</note>", "XML document that is not SpreadsheetML"),
])
def test_files_that_are_not_spreadsheets_are_named(tmp_path, content, message):
    src = tmp_path / "input.xlsx"
    src.write_bytes(content)
    with pytest.raises(x.ConvertError, match=message.replace("(", r"\(").replace(")", r"\)")) as e:
        x.convert(src)
    assert str(src) in str(e.value)
    assert not (tmp_path / "input.xlsx.csv").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["input.xlsx"]  # no temporary file left


def test_truncated_xlsx_and_a_docx(tmp_path):
    full = make_xlsx(tmp_path / "full.xlsx").read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(full[: len(full) // 2])
    with pytest.raises(x.ConvertError, match="corrupt or truncated zip"):
        x.convert(cut)
    docx = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    with pytest.raises(x.ConvertError, match="Word document"):
        x.convert(docx)


def test_damaged_ole2_file(tmp_path):
    src = tmp_path / "broken.xls"
    src.write_bytes(x.OLE2_MAGIC + b"\x00" * 600)
    with pytest.raises(x.ConvertError, match="(OLE2|legacy XLS)"):
        x.convert(src)


def test_an_existing_output_is_replaced_whole_or_left_alone(tmp_path):
    src = tmp_path / "a.csv"
    src.write_text("a\n1\n")
    out = tmp_path / "a.csv.csv"
    out.write_text("old\n")
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04broken")
    with pytest.raises(x.ConvertError):
        x.convert(bad, out)
    assert out.read_text() == "old\n"
    x.convert(src, out)
    assert read_csv(out) == [["a"], ["1"]]


def test_conversion_is_logged_through_dba_log(tmp_path, etl, monkeypatch):
    monkeypatch.setenv("PGUSER", "feeds_etl")
    src = make_xlsx(tmp_path / "logged.xlsx")
    log = RunLog("xls_to_csv", run_uuid=str(uuid.uuid4()))
    x.convert(src, log=log)
    lines = [r[0] for r in etl.execute("SELECT message FROM dba.tlogentry WHERE run_uuid = %s ORDER BY step_counter",
                                       (log.run_uuid,))]
    assert any("#N/A" in m for m in lines)
    assert any(m.startswith("converted logged.xlsx (xlsx, sheet 'Orders')") and "5 rows, 7 columns" in m
               for m in lines)


def test_feeds_convert_command(tmp_path):
    good = make_xlsx(tmp_path / "good.xlsx")
    bad = tmp_path / "bad.xls"
    bad.write_bytes(b"%PDF-1.4")
    out = tmp_path / "out"
    out.mkdir()
    r = subprocess.run([str(ROOT / "bin/feeds"), "convert", "--no-log", "--out-dir", str(out), str(good), str(bad)],
                       capture_output=True, text=True)
    assert r.returncode == 1
    assert "looks like a PDF document" in r.stderr and "Traceback" not in r.stderr
    assert (out / "good.xlsx.csv").exists() and "5 rows, 7 columns" in r.stdout
    r = subprocess.run([str(ROOT / "bin/feeds"), "convert", "--no-log", "--out-dir", str(tmp_path / "nope"), str(good)],
                       capture_output=True, text=True)
    assert r.returncode == 2 and "no such directory" in r.stderr


@pytest.mark.skipif(os.environ.get("FEEDS_BIG_TESTS") != "1", reason="set FEEDS_BIG_TESTS=1 (slow)")
def test_big_xlsx_converts_in_bounded_memory(tmp_path):
    src = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    for i in range(300_000):
        ws.append([i, f"name {i}", i * 1.5, dt.date(2020, 1, 1) + dt.timedelta(days=i % 1000), "x" * 30])
    wb.save(src)
    out = subprocess.run([sys.executable, "-c", PEAK_RSS, str(src)], capture_output=True, text=True, cwd=ROOT, check=True)
    rows, maxrss_kb, _ = out.stdout.split()
    assert int(rows) == 300_000
    assert int(maxrss_kb) < 300 * 1024


def test_memory_stays_bounded_whatever_the_number_of_rows(tmp_path):
    # A sheet over the memory limit streams: four times the rows must not take noticeably more
    # memory (holding the rows would add well over 100 MB). Under the limit calamine holds the
    # sheet in its child process, which stays within the limit.
    def peak_rss_kb(rows, memory_mb):
        src = tmp_path / f"rows_{rows}.xlsx"
        if not src.exists():
            wb = openpyxl.Workbook(write_only=True)
            ws = wb.create_sheet()
            for i in range(rows):
                ws.append([i, f"name {i}", i * 1.5, dt.date(2020, 1, 1) + dt.timedelta(days=i % 1000), "x" * 30])
            wb.save(src)
        env = {**os.environ, "FEEDS_CONVERT_MEMORY_MB": str(memory_mb)}
        # Through sh, which forks the measured process: Linux keeps a process's peak RSS across
        # exec, so a process forked from this (large) pytest process would report pytest's size.
        out = subprocess.run(["/bin/sh", "-c", '"$0" -c "$1" "$2"; exit $?', sys.executable, PEAK_RSS, str(src)],
                             capture_output=True, text=True, cwd=ROOT, check=True, env=env)
        converted, rss, reader = out.stdout.split()
        assert int(converted) == rows
        return int(rss), reader

    (small, r1), (large, r2) = peak_rss_kb(20_000, 50), peak_rss_kb(80_000, 50)
    assert r1 == r2 == "openpyxl-streaming"
    assert large - small < 30 * 1024, f"peak RSS grew from {small} kB to {large} kB"
    whole, reader = peak_rss_kb(80_000, 250)
    assert reader == "calamine" and whole < (250 + 50) * 1024


# peak RSS of the conversion and of the child process it forks for calamine
PEAK_RSS = ("import resource, sys; from shims.xls_to_csv import convert; r = convert(sys.argv[1]);"
            "rss = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN));"
            "print(r.rows, rss, r.reader)")
