"""Progress of a long COPY where a person waits: a tqdm bar on a terminal, nothing elsewhere.

    with progress.copy_progress(conn, label="report_7.txt", total=size):
        ... the COPY (client_load), or dba.run_import() (runner) on `conn` ...

While the block runs, a second connection reads pg_stat_progress_copy for the backend of `conn`
(a psycopg connection, a shims.db.Db, or a callable returning either) every `interval` seconds
and shows bytes done of the total, the rate, and the rows done. A COPY of the server's own
(run_import staging a file) is named by the pending load whose size is the COPY's byte total
(the file it reads; its load row is still uncommitted, so that is the way to tell it from
outside), else by the table's oid. On a stream that is not a terminal (cron, a pipe) nothing is
shown and no connection is made: cron logs stay clean. Progress is cosmetic: a failure to read
it ends the bar, never the work.
"""
from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager

import psycopg
from tqdm import tqdm

QUERY = """
SELECT p.relid, p.bytes_processed, p.bytes_total, p.tuples_processed,
       (SELECT string_agg(d.file_name, ', ' ORDER BY d.load_id) FROM dba.tdataloads d
          JOIN dba.tloadstatus s USING (status)
         WHERE NOT s.is_final AND p.bytes_total > 0 AND d.file_size = p.bytes_total)
  FROM pg_stat_progress_copy p
 WHERE p.pid = %s"""


def _screen(stream) -> tuple[int, int]:
    """The terminal's (columns, lines); (100, 24) where it reports none (a new pseudo-terminal says
    0 x 0, and tqdm shows nothing on a screen of 0 lines)."""
    try:
        size = os.get_terminal_size(stream.fileno())
        return size.columns or 100, size.lines or 24
    except (OSError, ValueError, AttributeError):
        return 100, 24


def _pid(backend) -> int | None:
    backend = backend() if callable(backend) else backend
    conn = getattr(backend, "conn", backend)  # a shims.db.Db holds its connection in .conn
    if conn is None or conn.closed or conn.broken:
        return None
    return conn.info.backend_pid


class _Watcher:
    def __init__(self, backend, label, total, stream, interval, rows=True):
        self.backend, self.label, self.total, self.stream, self.interval = backend, label, total, stream, interval
        self.rows = rows
        self.stop = threading.Event()
        self.screen = _screen(stream)
        self.bar: tqdm | None = None
        self.copying = None  # (pid, relid) of the COPY the bar shows
        self.polls = 0  # how many times pg_stat_progress_copy was read (tests wait on it)
        self.seen = threading.Condition()

    def _bar(self, label: str, total: int | None) -> tqdm:
        return tqdm(total=total or None, desc=label, unit="B", unit_scale=True, unit_divisor=1024,
                    file=self.stream, leave=True, ncols=self.screen[0], nrows=self.screen[1])

    def run(self) -> None:
        from shims import db
        try:
            with db.connect(retries=0) as conn:
                while not self.stop.wait(self.interval):
                    self.poll(conn)
        except psycopg.Error:
            pass

    def poll(self, conn: psycopg.Connection) -> None:
        pid = _pid(self.backend)
        row = conn.execute(QUERY, (pid,)).fetchone() if pid is not None else None
        with self.seen:
            if row is not None:
                relid, done, total, rows, files = row
                if self.label is None and self.copying != (pid, relid):  # the server's next COPY: a bar of its own
                    if self.bar is not None:
                        self.bar.close()
                    self.bar = self._bar(files or f"COPY into table {relid}", total)
                self.copying = (pid, relid)
                if total and not self.bar.total:
                    self.bar.total = total
                if self.bar.total:  # a binary COPY counts its framing too: never past the file's size
                    done = min(done, self.bar.total)
                self.bar.update(max(0, done - self.bar.n))
                if self.rows:
                    self.bar.set_postfix(rows=rows, refresh=True)
                else:
                    self.bar.refresh()
            self.polls += 1
            self.seen.notify_all()

    def wait_for(self, predicate, timeout: float = 60) -> bool:
        """Wait until predicate(watcher) holds after a poll (for tests)."""
        with self.seen:
            return self.seen.wait_for(lambda: predicate(self), timeout)

    def finish(self, completed: bool) -> None:
        with self.seen:
            if self.bar is not None:
                if completed and self.label is not None and self.bar.total:
                    self.bar.update(self.bar.total - self.bar.n)  # the caller's COPY is done
                self.bar.close()


@contextmanager
def copy_progress(backend, label: str | None = None, total: int | None = None, stream=None, interval: float = 0.5,
                  rows: bool = True):
    """Show the progress of COPY on `backend` while the block runs (see the module docstring);
    yields the watcher (None on a non-terminal). rows=False for a COPY whose tuples are not the
    file's rows (feeds load sends the file as chunks of bytes): the bar shows bytes only."""
    stream = sys.stderr if stream is None else stream
    if not (hasattr(stream, "isatty") and stream.isatty()):
        yield None
        return
    watcher = _Watcher(backend, label, total, stream, interval, rows)
    if label is not None:  # the caller knows the file: its bar shows from the start
        watcher.bar = watcher._bar(label, total)
    thread = threading.Thread(target=watcher.run, name="copy-progress", daemon=True)
    thread.start()
    completed = False
    try:
        yield watcher
        completed = True
    finally:
        watcher.stop.set()
        thread.join()
        watcher.finish(completed)
