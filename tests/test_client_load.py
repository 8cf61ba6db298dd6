"""feeds load: the second way in. The files live where the database server cannot read them
(pytest's private temporary directory), and still load, exactly as run_import would load them."""
import json
import os
import re
import subprocess
import sys

import psycopg
import pytest

from conftest import ROOT
from shims import client_load, fsutil


@pytest.fixture
def job(admin):
    admin.execute("CREATE SCHEMA IF NOT EXISTS cl")
    admin.execute("CREATE TABLE cl.items (code text, qty int, load_id bigint, line_no bigint)")
    admin.execute("GRANT USAGE ON SCHEMA cl TO feeds_owner, feeds_reader")
    admin.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON cl.items TO feeds_owner")
    admin.execute(
        "INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,"
        " target_table, column_map, encoding) VALUES ('cl', '^cl_\\d+\\.csv$', '/nonexistent/in', '/nonexistent/proc',"
        " '/nonexistent/arch', '/nonexistent/fail', 'cl.items', %s, 'LATIN1')",
        (json.dumps([{"source": "code", "target": "code", "required": True},
                     {"source": "qty", "target": "qty", "type": "integer"}]),))
    yield "cl"
    admin.execute("DELETE FROM dba.tdataloads WHERE job_name = 'cl'")
    admin.execute("DELETE FROM dba.timportconfig WHERE job_name = 'cl'")
    admin.execute("DROP TABLE cl.items")


def feeds_load(*args):
    env = dict(os.environ, PGUSER="feeds_etl")
    return subprocess.run([str(ROOT / "bin/feeds"), "load", *args], env=env, capture_output=True, text=True)


def test_files_the_server_cannot_see_load_through_copy_from_stdin(job, admin, tmp_path):
    os.chmod(tmp_path, 0o700)
    good = tmp_path / "cl_1.csv"
    good.write_bytes("code,qty\ncafé,1\n,2\nb,x\nc,3\n".encode("latin-1"))
    r = feeds_load("--job", job, str(good))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("cl_1.csv: loaded_with_rejects (load ")
    assert "4 read, 2 inserted, 0 updated, 2 rejected" in r.stdout
    assert admin.execute("SELECT code, qty, line_no FROM cl.items ORDER BY line_no").fetchall() == [
        ("café", 1, 2), ("c", 3, 5)]
    assert admin.execute("SELECT way_in, file_path FROM dba.tdataloads WHERE job_name = 'cl'").fetchone() == ("client", None)
    rules = admin.execute("SELECT line_no, rule FROM dba.tloaderror e JOIN dba.tdataloads d USING (load_id)"
                          " WHERE d.job_name = 'cl' ORDER BY line_no").fetchall()
    assert rules == [(3, "required"), (4, "type")]

    # The same content again, under another name: a duplicate, nothing loaded.
    again = tmp_path / "cl_2.csv"
    again.write_bytes(good.read_bytes())
    r = feeds_load("--job", job, str(again))
    assert r.returncode == 0 and "cl_2.csv: duplicate" in r.stdout
    assert admin.execute("SELECT count(*) FROM cl.items").fetchone()[0] == 2


def test_dry_run_refusals_and_failures_say_so(job, admin, tmp_path):
    f = tmp_path / "cl_3.csv"
    f.write_bytes(b"code,qty\nz,9\n")
    r = feeds_load("--job", job, "--dry-run", str(f))
    assert r.returncode == 0 and "cl_3.csv: dry_run" in r.stdout
    assert admin.execute("SELECT count(*) FROM cl.items").fetchone()[0] == 0

    other = tmp_path / "notes.txt"
    other.write_bytes(b"code,qty\n")
    r = feeds_load("--job", job, str(other))
    assert r.returncode == 1
    assert "notes.txt: refused: job cl does not take file 'notes.txt' [FD003]" in r.stderr

    bad = tmp_path / "cl_4.csv"
    bad.write_bytes(b"qty,code\n1,a\n")
    r = feeds_load("--job", job, str(bad))
    assert r.returncode == 1 and "cl_4.csv: failed" in r.stdout and "[FD020]" in r.stdout

    r = feeds_load("--job", job, str(tmp_path / "missing.csv"))
    assert r.returncode == 2 and "not a readable file" in r.stderr


def test_a_terminal_shows_the_progress_of_each_file_and_a_pipe_does_not(job, admin, tmp_path):
    f = tmp_path / "cl_5.csv"
    f.write_bytes(b"code,qty\n" + b"".join(b"c%d,%d\n" % (i, i) for i in range(20000)))
    master, slave = os.openpty()
    env = dict(os.environ, PGUSER="feeds_etl")
    proc = subprocess.Popen([str(ROOT / "bin/feeds"), "load", "--job", job, str(f)], env=env,
                            stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    out = proc.stdout.read()
    shown = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal's other end closed with the program
            break
        if not data:
            break
        shown += data
    os.close(master)
    assert proc.wait(60) == 0 and out.startswith("cl_5.csv: loaded (load ")
    assert re.search(rb"cl_5\.csv: 100%.*B", shown), shown
    f2 = tmp_path / "cl_6.csv"
    f2.write_bytes(b"code,qty\nq,1\n")
    r = feeds_load("--job", job, str(f2))
    assert r.returncode == 0 and r.stderr == ""  # cron logs stay clean


def test_a_cr_lf_inside_a_quoted_field_keeps_its_bytes(job, admin, tmp_path):
    """An Excel export with a line break in a cell: CR LF rows, CR LF inside the quoted field.
    The value loaded holds the CR LF byte for byte, as a server-read file keeps it."""
    f = tmp_path / "cl_11.csv"
    f.write_bytes(b'code,qty\r\n"first\r\nsecond",1\r\nplain,2\r\n')
    r = feeds_load("--job", job, str(f))
    assert r.returncode == 0 and "cl_11.csv: loaded" in r.stdout, r.stdout + r.stderr
    rows = admin.execute("SELECT convert_to(code, 'UTF8'), qty, line_no FROM cl.items ORDER BY line_no").fetchall()
    assert rows == [(b"first\r\nsecond", 1, 2), (b"plain", 2, 4)]


def test_a_file_whose_line_endings_mix_loads_every_record_exactly(job, admin, tmp_path):
    """CR LF rows with an LF inside a quoted field, an LF row, a lone CR row, an empty line and
    no final line ending (files pasted together): every record loads exactly, on its line."""
    f = tmp_path / "cl_9.csv"
    f.write_bytes(b'code,qty\r\n"a\nb",1\r\nc,2\nd,3\r\r\n"e\r\nf",4\r\ng,5')
    good = tmp_path / "cl_10.csv"
    good.write_bytes(b"code,qty\nh,6\n")
    r = feeds_load("--job", job, str(f), str(good))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "cl_9.csv: loaded (load " in r.stdout and "5 read, 5 inserted" in r.stdout, r.stdout
    rows = admin.execute("SELECT convert_to(code, 'UTF8'), qty, line_no FROM cl.items ORDER BY load_id, line_no").fetchall()
    assert rows == [(b"a\nb", 1, 2), (b"c", 2, 4), (b"d", 3, 5), (b"e\r\nf", 4, 7), (b"g", 5, 9), (b"h", 6, 2)]


def test_bytes_not_in_the_jobs_encoding_fail_the_load_at_their_line(job, admin, tmp_path):
    admin.execute("UPDATE dba.timportconfig SET encoding = 'UTF8' WHERE job_name = 'cl'")
    f = tmp_path / "cl_12.csv"
    f.write_bytes("code,qty\nok,1\ncafé,2\n".encode("latin-1"))
    nxt = tmp_path / "cl_13.csv"
    nxt.write_bytes("code,qty\ncafé,3\n".encode("utf-8"))
    r = feeds_load("--job", job, str(f), str(nxt))
    assert r.returncode == 1, r.stdout + r.stderr
    assert "cl_12.csv: failed" in r.stdout and "cl_13.csv: loaded" in r.stdout, r.stdout
    [(status, state, msg)] = admin.execute("SELECT status, error_sqlstate, error_message FROM dba.tdataloads"
                                           " WHERE job_name = 'cl' AND file_name = 'cl_12.csv'").fetchall()
    assert (status, state) == ("failed", "22021")
    assert msg.startswith("cl_12.csv line 3: cannot be read as UTF8 text: invalid byte sequence"), msg
    assert admin.execute("SELECT code, qty FROM cl.items").fetchall() == [("café", 3)]


def test_a_file_that_grows_between_its_hash_and_its_stream_fails_and_loads_nothing(job, admin, etl, tmp_path):
    """A CSV still being appended to: its digests are read with 2 rows (registered by
    dba.begin_load, as feeds load does), then 3 rows are streamed by feeds load's own send.
    The stream is not what was registered: a failed load (FD016), nothing of it loaded, its
    chunks gone. The complete file loads whole afterwards, registered with its chunk digest."""
    f = tmp_path / "cl_20.csv"
    f.write_bytes(b"code,qty\na,1\nb,2\n")
    d = fsutil.digests_file(f)
    run = etl.execute("SELECT dba.start_run('pytest')").fetchone()[0]
    load_id, copy_sql = etl.execute(
        "SELECT load_id, copy_sql FROM dba.begin_load(p_job => %s, p_file_name => %s, p_sha256 => %s, p_size => %s,"
        " p_run_uuid => %s, p_chunk_sha256 => %s, p_chunk_size => %s)",
        (job, f.name, d.sha256, d.size, run, d.chunk_sha256, d.chunk_size)).fetchone()
    with open(f, "ab") as w:  # the writer goes on after the hash
        w.write(b"c,3\n")
    row = client_load.send(etl, load_id, copy_sql, f, d.size + 4, d.chunk_size)
    status, message, is_failed = row[3], row[8], row[9]
    assert (status, is_failed) == ("failed", True), row
    assert message == ("[FD016] cl_20.csv: the stream is not the file begin_load registered (21 bytes sent, 17"
                       " registered): it changed while it was sent; nothing of it was loaded"), message
    assert admin.execute("SELECT error_sqlstate FROM dba.tdataloads WHERE load_id = %s", (load_id,)).fetchone()[0] == "FD016"
    assert admin.execute("SELECT count(*) FROM cl.items").fetchone()[0] == 0
    assert etl.execute("SELECT to_regclass(%s)", (f"pg_temp.load_{load_id}_c",)).fetchone()[0] is None

    r = feeds_load("--job", job, str(f))
    assert r.returncode == 0 and "cl_20.csv: loaded (load " in r.stdout, r.stdout + r.stderr
    assert admin.execute("SELECT code FROM cl.items ORDER BY line_no").fetchall() == [("a",), ("b",), ("c",)]
    whole = fsutil.digests_file(f)
    assert admin.execute("SELECT chunk_sha256, chunk_size FROM dba.tdataloads WHERE job_name = 'cl' AND status = 'loaded'"
                         ).fetchone() == (whole.chunk_sha256, fsutil.DIGEST_CHUNK)


def peak_rss_kb(*args) -> int:
    """feeds load's peak resident memory (kB), measured around it by a small parent process."""
    env = dict(os.environ, PGUSER="feeds_etl")
    probe = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True);"
             " print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, str(ROOT / "bin/feeds"), "load", *args], env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "0", out
    return int(out[1])


def test_a_big_file_streams_without_being_held_in_memory(job, admin, tmp_path):
    """A 48 MB file (one line longer than many chunks) costs the client no more memory than a
    small one: it is sent in chunks, never read whole."""
    small = tmp_path / "cl_14.csv"
    small.write_bytes(b"code,qty\ns,1\n")
    big = tmp_path / "cl_15.csv"
    with open(big, "wb") as f:
        f.write(b"code,qty\n")
        for _ in range(48):
            f.write(b"x" * (1 << 20))
        f.write(b",2\n")
    base, peak = peak_rss_kb("--job", job, str(small)), peak_rss_kb("--job", job, str(big))
    assert peak - base < 16 * 1024, (base, peak)
    assert admin.execute("SELECT length(code), qty FROM cl.items WHERE qty = 2").fetchone() == (48 << 20, 2)
