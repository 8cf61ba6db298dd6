"""Two dba.run_import() calls at the same time never load a file twice; two sessions racing
the same content through the client way in: one loads, the other is a duplicate."""
import hashlib
import json
import os
import threading

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


def test_concurrent_run_imports_load_each_file_once(dsn, admin, job):
    for i in range(6):
        _write(job / f"conc_{i}.csv", "code,qty\n" + "".join(f"c{i}_{n},{n}\n" for n in range(2000)))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with psycopg.connect(dsn + " user=feeds_etl", autocommit=True) as conn:
                barrier.wait()
                rows = conn.execute("SELECT file_name, status FROM dba.run_import(p_job => 'conc')").fetchall()
                results.append(rows)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    loaded = [f for rows in results for f, s in rows if s == "loaded"]
    assert sorted(loaded) == [f"conc_{i}.csv" for i in range(6)], results
    assert admin.execute("SELECT count(*) FROM conc.items").fetchone()[0] == 6 * 2000
    assert admin.execute("SELECT count(DISTINCT load_id) FROM conc.items").fetchone()[0] == 6


def test_same_content_from_two_clients_loads_once(dsn, admin, job):
    data = b"code,qty\nz,1\n"
    sha = hashlib.sha256(data).hexdigest()
    statuses = []
    for name in ("conc_100.csv", "conc_101.csv"):
        with psycopg.connect(dsn + " user=feeds_etl", autocommit=True) as conn:
            load_id, table, copy_sql, status = conn.execute(
                "SELECT load_id, staging_table, copy_sql, status FROM dba.begin_load('conc', %s, %s, %s)",
                (name, sha, len(data))).fetchone()
            if status == "pending":
                with conn.cursor().copy(copy_sql) as cp:
                    cp.write(data)
                status = conn.execute("SELECT status FROM dba.finish_load(%s)", (load_id,)).fetchone()[0]
            statuses.append(status)
    assert statuses == ["loaded", "duplicate"]
    assert admin.execute("SELECT count(*) FROM conc.items WHERE code = 'z'").fetchone()[0] == 1
