"""A fixture MeetMax site on 127.0.0.1: a real HTTP server in a thread that serves the pages under
tests/fixtures/meetmax/ and the company lists generated here (a real XLS made with xlwt, a real
XLSX made with openpyxl, an HTML table posing as .xls), and plays scripted answers first (429 with
Retry-After, 500, a Cloudflare 1015 page, a redirect to a login page). Every request is recorded.

Variants beyond the first fixtures (issue 14): an export button without a usable link (200001:
href="#" on a private page, 200002: javascript:, 200009: empty), a redirect to a login page
(119187), a site that stays rate limited (200003), two events with the same list (200005, 200007),
an XLSX written with different bytes on every request but the same cells (200008), and requests
held until the test lets them go (`hold`), to interrupt a check while it waits for an answer.

    with MeetMaxSite() as site:
        site.base_url        # http://127.0.0.1:<port>
        site.hits("/sched/event_119184/__co-list_cp.html")   # [(time, headers), …]

Run it by hand to look at it:  .venv/bin/python tests/meetmax_site.py [port]
"""
from __future__ import annotations

import io
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "meetmax"
XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HTML = "text/html; charset=utf-8"

# The company lists, as a user would read them in the database afterwards.
COMPANIES_119179 = [("Alpha Widgets Inc.", "ALWD", "Industrials"), ("Beta Software plc", "BSW", "Technology"),
                    ("Gamma Ñandú S.A.", "GMN", "Consumer"), ("Delta Robotics AG", "", "Technology")]
COMPANIES_119180 = [("Acme Biologics", "ACMB", "Healthcare"), ("Zeta Diagnostics", "ZDX", "Healthcare"),
                    ("Private Holdings LLC", "", "Healthcare")]
COMPANIES_119184 = [("Omega Small Caps Corp", "OSC", "Financials"), ("Sigma Retail Ltd", "SGR", "Consumer")]
COMPANIES_119185 = [("Solar Fields Inc", "SOLF", "Energy"), ("Wind & Water plc", "WWP", "Utilities")]
COMPANIES_200001 = [("Helix Therapeutics", "HLX", "Healthcare"), ("Nordic Enzymes AB", "NENZ", "Healthcare")]
COMPANIES_200002 = [("Clearwater Utilities", "CWU", "Utilities"), ("Basin Pipes Ltd", "BPL", "Utilities")]
COMPANIES_MINING = [("Copper Ridge Mining", "CRM", "Materials"), ("Lithium Flats Corp", "LFC", "Materials")]
COMPANIES_200008 = [("Wafer Works Inc", "WAFR", "Technology"), ("Photon Lithography", "PHOT", "Technology")]


def _padding_rows(n: int):
    """Filler companies so that each list is comfortably above the 1 KB floor."""
    return [(f"Filler Company {i:03d}", f"F{i:03d}", "Other") for i in range(n)]


def make_xls(header: list[str], rows: list[tuple]) -> bytes:
    import xlwt
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Company List")
    for c, h in enumerate(header):
        ws.write(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_xlsx(header: list, rows: list[tuple], written_at=None) -> bytes:
    """written_at: the workbook's creation and modification time (openpyxl writes them into
    docProps/core.xml), so the same cells come out as other bytes."""
    import openpyxl
    wb = openpyxl.Workbook()
    if written_at is not None:
        wb.properties.created = wb.properties.modified = written_at
    ws = wb.active
    ws.title = "Companies"
    ws.append(header)
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def make_html_table(header: list[str], rows: list[tuple]) -> bytes:
    cells = "".join(f"<th>{h}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>\n" for row in rows)
    return (f"<html><head><meta charset='utf-8'><title>Company List</title></head><body>"
            f"<table border=1><tr>{cells}</tr>\n{body}</table></body></html>").encode("utf-8")


def downloads() -> dict[str, tuple[str, bytes]]:
    xls_rows = COMPANIES_119179
    mining = make_xls(["Company Name", "Ticker", "Sector"], COMPANIES_MINING + _padding_rows(5))
    return {
        "/sched/event_119179/__co-list_cp.xls": (XLS, make_xls(["Company Name", "Ticker", "Sector"], xls_rows)),
        "/sched/event_119180/__private-co-list_cp.xls": (
            XLSX, make_xlsx(["Company/Organization", "Company Ticker", None, "Sector"],
                            [(n, t, None, s) for n, t, s in COMPANIES_119180])),
        "/sched/event_119183/__co-list_cp.xls": (XLS, (FIXTURES / "pages" / "download_error.html").read_bytes()),
        "/sched/event_119184/__co-list_cp.xls": (
            XLS, make_html_table(["Company Name", "Ticker", "Sector"], COMPANIES_119184 + _padding_rows(20))),
        "/sched/event_119185/__co-list_cp.xls": (
            XLS, make_xls(["Company/Organization", "Ticker", "Sector"], COMPANIES_119185)),
        "/sched/event_200001/__private-co-list_cp.xls": (
            XLS, make_xls(["Company Name", "Ticker", "Sector"], COMPANIES_200001 + _padding_rows(5))),
        "/sched/event_200002/__co-list_cp.xls": (
            XLS, make_xls(["Company Name", "Ticker", "Sector"], COMPANIES_200002 + _padding_rows(5))),
        # the same bytes for two events
        "/sched/event_200005/__co-list_cp.xls": (XLS, mining),
        "/sched/event_200007/__co-list_cp.xls": (XLS, mining),
    }


def _page(name: str) -> bytes:
    return (FIXTURES / "pages" / name).read_bytes()


def default_script() -> dict[str, list[tuple[int, dict, bytes]]]:
    """Answers played once, in order, before the normal page is served."""
    return {
        "/sched/event_119184/__co-list_cp.html": [(429, {"Retry-After": "1"}, b"Too Many Requests")],
        "/sched/event_119185/__co-list_cp.html": [(500, {}, _page("server_error.html"))],
        "/sched/event_119186/__co-list_cp.html": [(429, {}, _page("cloudflare_1015.html"))],
    }


class MeetMaxSite:
    def __init__(self, port: int = 0, certfile: str | None = None):
        self.downloads = downloads()
        self.script = default_script()
        self.log: list[tuple[float, str, dict]] = []
        self._lock = threading.Lock()
        self._held: dict[str, tuple[threading.Event, threading.Event]] = {}
        self.xlsx_served = 0  # how many times the list of 200008 was written
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                site._serve(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        scheme = "http"
        if certfile:  # HTTPS with the given (self-signed) certificate and key in one PEM file
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(certfile)
            self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.base_url = f"{scheme}://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def hold(self, path: str) -> tuple[threading.Event, threading.Event]:
        """Requests for path wait until the second event is set; the first is set when one arrives."""
        with self._lock:
            self._held[path] = (threading.Event(), threading.Event())
            return self._held[path]

    def hits(self, path: str) -> list[tuple[float, dict]]:
        with self._lock:
            return [(t, h) for t, p, h in self.log if p == path]

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        path = urlsplit(h.path).path.split(";", 1)[0]
        with self._lock:
            self.log.append((time.monotonic(), path, dict(h.headers)))
            scripted = self.script.get(path)
            answer = scripted.pop(0) if scripted else None
            held = self._held.get(path)
        if held is not None:
            arrived, release = held
            arrived.set()
            release.wait(30)
        if answer is None:
            answer = self._static(path)
        status, headers, body = answer
        h.send_response(status)
        headers = {"Content-Type": HTML, **headers}
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    def _static(self, path: str) -> tuple[int, dict, bytes]:
        if path.startswith("/sched/event_119187/"):
            return 302, {"Location": "/login?return=" + path}, b""
        if path == "/login":
            return 200, {}, _page("login.html")
        if path.startswith("/sched/event_200003/"):  # stays rate limited
            return 429, {}, _page("cloudflare_1015.html")
        if path == "/sched/event_200008/__co-list_cp.xls":  # the same cells, other bytes each time
            import datetime as dt
            with self._lock:
                self.xlsx_served += 1
                n = self.xlsx_served
            body = make_xlsx(["Company Name", "Ticker", "Sector"], COMPANIES_200008 + _padding_rows(5),
                             written_at=dt.datetime(2026, 1, 1) + dt.timedelta(minutes=n))
            return 200, {"Content-Type": XLSX}, body
        if path in self.downloads:
            kind, body = self.downloads[path]
            return 200, {"Content-Type": kind}, body
        f = FIXTURES / path.lstrip("/")
        if ".." not in path and f.is_file():
            kind = HTML if f.suffix == ".html" else XLS
            return 200, {"Content-Type": kind}, f.read_bytes()
        return 404, {}, _page("404.html")


if __name__ == "__main__":
    with MeetMaxSite(int(sys.argv[1]) if len(sys.argv) > 1 else 0) as s:
        print(s.base_url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
