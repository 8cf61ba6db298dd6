"""A fixture MeetMax site on 127.0.0.1: a real HTTP server in a thread that serves the pages under
tests/fixtures/meetmax/ and the company lists generated here (a real XLS made with xlwt, a real
XLSX made with openpyxl, an HTML table posing as .xls), and plays scripted answers first (429 with
Retry-After, 500, a Cloudflare 1015 page, a redirect to a login page). Every request is recorded.

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


def make_xlsx(header: list, rows: list[tuple]) -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
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

    def hits(self, path: str) -> list[tuple[float, dict]]:
        with self._lock:
            return [(t, h) for t, p, h in self.log if p == path]

    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        path = urlsplit(h.path).path.split(";", 1)[0]
        with self._lock:
            self.log.append((time.monotonic(), path, dict(h.headers)))
            scripted = self.script.get(path)
            answer = scripted.pop(0) if scripted else None
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
