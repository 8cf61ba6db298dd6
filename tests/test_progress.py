"""Progress where people wait: a COPY in progress shows, on a terminal, its file, the bytes done of
the total, the rate and the rows done, read from pg_stat_progress_copy by a second connection;
on anything else nothing is shown. Each test holds the COPY half-way (by how much the test has
sent, or by a lock a trigger waits for) until the bar has shown it, so nothing depends on speed."""
import hashlib
import json
import os
import re
import threading
import time

import psycopg
import pytest
from psycopg import sql

from shims import progress


class Terminal:
    """A real pseudo-terminal: `stream` is its writing end (isatty() is true), `text()` what it shows."""

    def __init__(self):
        master, slave = os.openpty()
        self.stream = os.fdopen(slave, "w", buffering=1)
        self._chunks: list[bytes] = []
        self._master = master
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        while True:
            try:
                data = os.read(self._master, 65536)
            except OSError:
                return
            if not data:
                return
            self._chunks.append(data)

    def text(self) -> str:
        return b"".join(self._chunks).decode("utf-8", "replace")

    def close(self) -> str:
        self.stream.close()
        self._reader.join(10)
        os.close(self._master)
        return self.text()


def bar_shows(term: Terminal, pattern: str, timeout: float = 30) -> bool:
    """Wait until the terminal shows `pattern` (a regex)."""
    deadline = time.monotonic() + timeout
    while not re.search(pattern, term.text()):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_a_client_copy_shows_bytes_rate_and_rows_on_a_terminal(etl):
    etl.execute("CREATE TEMP TABLE progress_rows (n int, label text)")
    half = b"".join(b"%d,row %d\n" % (i, i) for i in range(100000))  # about 1.3 MB
    term = Terminal()
    try:
        with etl.cursor() as cur:
            with progress.copy_progress(etl, label="big.csv", total=2 * len(half), stream=term.stream,
                                        interval=0.05) as watcher:
                with cur.copy("COPY progress_rows FROM STDIN (FORMAT csv)") as copy:
                    copy.write(half)
                    # the server has read (most of) the first half and the bar says so
                    assert watcher.wait_for(lambda w: w.bar.n >= len(half) // 2)
                    assert bar_shows(term, r"big\.csv:\s+\d+%.*B/s.*rows=\d+")
                    mid = watcher.bar.n
                    assert 0 < mid < 2 * len(half)
                    copy.write(half)
    finally:
        shown = term.close()
    assert re.search(r"big\.csv: 100%", shown), shown
    assert etl.execute("SELECT count(*) FROM progress_rows").fetchone()[0] == 200000


@pytest.fixture
def pending_file(admin, etl, workdir):
    """A job and a pending load of a file of 1000 lines (as the watcher would have registered it)."""
    admin.execute("CREATE TABLE IF NOT EXISTS public.progress_target (n int, label text, load_id bigint)")
    admin.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON public.progress_target TO feeds_owner")
    admin.execute(
        "INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,"
        " target_table, column_map) VALUES ('progress', '^progress_\\d+\\.csv$', %s, %s, %s, %s,"
        " 'public.progress_target', %s)",
        (str(workdir / "in"), str(workdir), str(workdir / "arch"), str(workdir / "fail"),
         json.dumps([{"source": "n", "target": "n"}, {"source": "label", "target": "label"}])))
    path = workdir / "progress_1.csv"
    old = os.umask(0o007)
    try:
        path.write_bytes(b"".join(b"%d,line %d\n" % (i, i) for i in range(1, 1001)))
    finally:
        os.umask(old)
    data = path.read_bytes()
    etl.execute("SELECT * FROM dba.register_file('progress', 'progress_1.csv', %s, %s)",
                (hashlib.sha256(data).hexdigest(), len(data)))
    yield path
    admin.execute("DELETE FROM dba.tdataloads WHERE job_name = 'progress'")
    admin.execute("DELETE FROM dba.timportconfig WHERE job_name = 'progress'")
    admin.execute("DROP TABLE public.progress_target")
    admin.execute("DROP FUNCTION IF EXISTS public.progress_hold()")


def test_a_copy_of_chunks_shows_bytes_without_rows_and_never_past_the_size(etl):
    # feeds load sends a file as a binary COPY of 1 MB bytea chunks: its tuples are not the file's
    # rows, and the protocol's framing makes the bytes read a little more than the file's size.
    etl.execute("CREATE TEMP TABLE progress_chunks (chunk bytea)")
    chunk = os.urandom(1 << 20)
    term = Terminal()
    try:
        with etl.cursor() as cur:
            with progress.copy_progress(etl, label="chunks.csv", total=2 * len(chunk), stream=term.stream,
                                        interval=0.05, rows=False) as watcher:
                with cur.copy("COPY progress_chunks (chunk) FROM STDIN (FORMAT binary)") as copy:
                    copy.set_types(["bytea"])
                    copy.write_row([chunk])
                    assert watcher.wait_for(lambda w: w.bar.n >= len(chunk) // 2)
                    assert bar_shows(term, r"chunks\.csv:\s+\d+%.*B/s")
                    copy.write_row([chunk])
                # after the COPY, one more poll shows what the server read in all
                polls = watcher.polls
                assert watcher.wait_for(lambda w: w.polls > polls + 1)
                assert watcher.bar.n <= 2 * len(chunk)
    finally:
        shown = term.close()
    assert re.search(r"chunks\.csv: 100%", shown), shown
    assert "rows=" not in shown, shown


def test_a_server_copy_is_named_by_the_pending_file_it_reads(dsn, admin, pending_file):
    """As in dba.run_import: the server reads the file; the bar is named by the pending load of
    that size. A trigger holds the COPY at line 500 until the test has seen the bar."""
    admin.execute("CREATE FUNCTION public.progress_hold() RETURNS trigger LANGUAGE plpgsql AS $$"
                  " BEGIN IF NEW.n = 500 THEN PERFORM pg_advisory_lock_shared(74120); END IF; RETURN NEW; END $$")
    admin.execute("CREATE TRIGGER progress_hold BEFORE INSERT ON public.progress_target"
                  " FOR EACH ROW EXECUTE FUNCTION public.progress_hold()")
    admin.execute("SELECT pg_advisory_lock(74120)")
    term = Terminal()
    copier = psycopg.connect(dsn + " user=postgres", autocommit=True)
    box = {}

    def copy():
        try:
            box["rows"] = copier.execute(sql.SQL("COPY public.progress_target (n, label) FROM {} (FORMAT csv)").format(
                sql.Literal(str(pending_file)))).rowcount
        except Exception as e:  # reported below
            box["error"] = e
    try:
        with progress.copy_progress(copier, stream=term.stream, interval=0.05) as watcher:
            t = threading.Thread(target=copy, daemon=True)
            t.start()
            assert watcher.wait_for(lambda w: w.bar is not None and "rows=499" in str(w.bar)), (box, str(watcher.bar))
            assert bar_shows(term, r"progress_1\.csv:\s+\d+%.*rows=499")
            admin.execute("SELECT pg_advisory_unlock(74120)")
            t.join(60)
    finally:
        copier.close()
        shown = term.close()
    assert box == {"rows": 1000}, box
    assert "progress_1.csv" in shown


def test_nothing_is_shown_on_a_non_terminal(etl):
    r, w = os.pipe()
    with os.fdopen(w, "w") as pipe, os.fdopen(r) as reader:
        with progress.copy_progress(etl, label="quiet.csv", total=10, stream=pipe) as watcher:
            etl.execute("SELECT 1")
        assert watcher is None
        pipe.close()
        assert reader.read() == ""
