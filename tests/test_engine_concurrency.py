"""Two dba.run_import() calls at the same time never load a file twice; two sessions racing
the same content through the client way in: one loads, the other is a duplicate.

The races are real and deterministic: each test makes the sessions overlap by holding a lock
(or an open transaction) that both must wait for, and waits until pg_stat_activity shows them
waiting, before it lets them go."""
import hashlib
import json
import os
import threading
import time

import psycopg
import pytest


@pytest.fixture
def job(admin, workdir):
    admin.execute("CREATE SCHEMA IF NOT EXISTS conc")
    admin.execute("CREATE TABLE IF NOT EXISTS conc.items (code text, qty int, load_id bigint)")
    admin.execute("GRANT USAGE ON SCHEMA conc TO feeds_owner")
    admin.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON conc.items TO feeds_owner")
    admin.execute(
        "INSERT INTO dba.timportconfig (job_name, file_pattern, inbox_dir, processing_dir, archive_dir, failed_dir,"
        " target_table, column_map) VALUES ('conc', '^conc_\\d+\\.csv$', %s, %s, %s, %s, 'conc.items', %s)",
        (str(workdir / "in"), str(workdir), str(workdir / "arch"), str(workdir / "fail"),
         json.dumps([{"source": "code", "target": "code"}, {"source": "qty", "target": "qty", "type": "integer"}])))
    yield workdir
    admin.execute("DELETE FROM dba.tdataloads WHERE job_name = 'conc'")
    admin.execute("DELETE FROM dba.timportconfig WHERE job_name = 'conc'")
    admin.execute("DROP TABLE conc.items")


def _write(path, text):
    old = os.umask(0o007)
    try:
        path.write_text(text)
    finally:
        os.umask(old)


def wait_until_waiting(admin, names, what="Lock", timeout=20):
    """Wait until every session named (application_name) waits for a lock in the server."""
    deadline = time.monotonic() + timeout
    while True:
        admin.execute("SELECT pg_stat_clear_snapshot()")  # inside a transaction the view is a snapshot
        waiting = {r[0] for r in admin.execute(
            "SELECT application_name FROM pg_stat_activity WHERE application_name = ANY(%s)"
            " AND wait_event_type = %s", (list(names), what))}
        if waiting == set(names):
            return
        assert time.monotonic() < deadline, f"only {sorted(waiting)} of {sorted(names)} are waiting: " + str(
            admin.execute("SELECT application_name, state, wait_event_type, wait_event, left(query, 60)"
                          " FROM pg_stat_activity WHERE backend_type = 'client backend'").fetchall())
        time.sleep(0.02)


def in_thread(target, *args):
    """Run target(*args) in a thread; returns (thread, box) where box gets 'result' or 'error'."""
    box = {}

    def run():
        try:
            box["result"] = target(*args)
        except Exception as e:  # reported by the test
            box["error"] = e
    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t, box


def test_concurrent_run_imports_load_each_file_once(dsn, admin, job):
    for i in range(6):
        _write(job / f"conc_{i}.csv", "code,qty\n" + "".join(f"c{i}_{n},{n}\n" for n in range(2000)))
        data = (job / f"conc_{i}.csv").read_bytes()  # registered as the watcher would: run_import reads only that
        admin.execute("SELECT dba.register_file('conc', %s, %s, %s)", (f"conc_{i}.csv", hashlib.sha256(data).hexdigest(), len(data)))

    def run_import(name):
        with psycopg.connect(dsn + f" user=feeds_etl application_name={name}", autocommit=True) as conn:
            return conn.execute("SELECT file_name, status FROM dba.run_import(p_job => 'conc')").fetchall()

    # Both imports start while the target table is locked, and both are inside run_import,
    # each with a file of its own, waiting on it, before either may load a row.
    with admin.transaction():
        admin.execute("LOCK TABLE conc.items IN ACCESS EXCLUSIVE MODE")
        workers = [in_thread(run_import, name) for name in ("conc-a", "conc-b")]
        wait_until_waiting(admin, {"conc-a", "conc-b"})
    for t, _ in workers:
        t.join(120)
    assert [box.get("error") for _, box in workers] == [None, None]
    results = [box["result"] for _, box in workers]
    assert all(results), f"each import took files of its own: {results}"
    loaded = [f for rows in results for f, s in rows if s == "loaded"]
    assert sorted(loaded) == [f"conc_{i}.csv" for i in range(6)], results
    # each file was attempted once: no load row that calls a file a duplicate of itself
    assert admin.execute("SELECT file_name, status FROM dba.tdataloads WHERE job_name = 'conc' ORDER BY file_name"
                         ).fetchall() == [(f"conc_{i}.csv", "loaded") for i in range(6)]
    assert admin.execute("SELECT count(*) FROM conc.items").fetchone()[0] == 6 * 2000
    assert admin.execute("SELECT count(DISTINCT load_id) FROM conc.items").fetchone()[0] == 6


def test_same_content_from_two_clients_loads_once(dsn, admin, job):
    data = b"code,qty\nz,1\n"
    sha = hashlib.sha256(data).hexdigest()

    def begin(conn, name):
        return conn.execute("SELECT load_id, copy_sql, status FROM dba.begin_load('conc', %s, %s, %s)",
                            (name, sha, len(data))).fetchone()

    def finish(conn, load_id, copy_sql, status):
        if status == "pending":
            with conn.cursor().copy(copy_sql) as cp:  # binary: the file's bytes as one bytea row
                cp.set_types(["bytea"])
                cp.write_row((data,))
            status = conn.execute("SELECT status FROM dba.finish_load(%s)", (load_id,)).fetchone()[0]
        return status

    def second():
        with psycopg.connect(dsn + " user=feeds_etl application_name=conc-second", autocommit=True) as conn:
            return finish(conn, *begin(conn, "conc_101.csv"))

    # The first session has begun its load (its pending row not yet committed) when the second
    # begins the same content: the second must wait for the first, not load beside it.
    with psycopg.connect(dsn + " user=feeds_etl application_name=conc-first") as first:
        with first.transaction():
            started = begin(first, "conc_100.csv")
            t, box = in_thread(second)
            wait_until_waiting(admin, {"conc-second"})
            statuses = [finish(first, *started)]
    t.join(60)
    assert "error" not in box, box
    statuses.append(box["result"])
    assert statuses == ["loaded", "duplicate"]
    assert admin.execute("SELECT count(*) FROM conc.items WHERE code = 'z'").fetchone()[0] == 1
