"""The engine reads only what the watcher vouched for, from psql too: a DBA's (or an intruder's)
`SELECT dba.run_import()` as feeds_etl never reads a symlink or a hard link planted straight into
a processing directory (`feeds run` moves links away first; psql has no such step), so nothing of
a file only the server's OS user may read reaches a table, and its mode and owner stay. A failed
file left in processing is never imported again: one file, one failed load."""
from __future__ import annotations

import hashlib
import os
import subprocess

import pytest
from psycopg import sql

from shims import db as dbm
from shims import file_watcher

SECRET = "root:secret-7f3a"


def psql_as_etl(query: str) -> subprocess.CompletedProcess:
    """What a DBA types, as the role cron uses: psql -U feeds_etl -c '…'."""
    return subprocess.run(["psql", "-X", "-At", "-U", "feeds_etl", "-v", "ON_ERROR_STOP=1", "-c", query],
                          capture_output=True, text=True)


@pytest.fixture
def server_secret(admin):
    """server_secret(tag) -> (path, stat): a file of the database server's OS user that feeds_etl
    may not read, written by the server itself into its data directory, 0600; removed
    afterwards."""
    made = []

    def make(tag):
        path = os.path.join(admin.execute("SHOW data_directory").fetchone()[0], f"feeds_secret_{tag}")
        admin.execute(sql.SQL("COPY (VALUES ('id,name,email'), ({})) TO {}").format(
            sql.Literal(f"1,{SECRET},x@example.com"), sql.Literal(path)))
        made.append(path)
        os.chmod(path, 0o600)
        st = os.stat(path)
        assert st.st_mode & 0o077 == 0 and st.st_uid != os.getuid(), (oct(st.st_mode), st.st_uid)
        return path, st
    yield make
    for path in made:
        os.unlink(path)


def tables_holding(admin, needle: str) -> list[str]:
    """Every table of the database (the engine's, staging, the jobs', the log) with a row whose
    text holds needle."""
    hits = []
    for schema, table in admin.execute(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
            " AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'").fetchall():
        q = sql.SQL("SELECT count(*) FROM {} t WHERE t::text LIKE %s").format(sql.Identifier(schema, table))
        if admin.execute(q, (f"%{needle}%",)).fetchone()[0]:
            hits.append(f"{schema}.{table}")
    return hits


def plant_links(job, secret) -> dict[str, str]:
    names = {"symlink": f"{job['job']}_planted.csv", "hardlink": f"{job['job']}_hard.csv"}
    os.symlink(secret, job["processing"] / names["symlink"])
    os.link(secret, job["processing"] / names["hardlink"])
    return names


def unchanged(secret, before: os.stat_result) -> bool:
    now = os.stat(secret)
    return (now.st_mode, now.st_uid, now.st_gid) == (before.st_mode, before.st_uid, before.st_gid)


def test_links_planted_in_processing_are_not_read_by_run_import_in_psql(rjob, admin, server_secret, ledger):
    job = rjob()
    secret, before = server_secret(job["job"])
    names = plant_links(job, secret)
    r = psql_as_etl(f"SELECT status FROM dba.run_import(p_job => '{job['job']}')")
    ledger.hostile.update({"symlink_in_processing_psql", "hardlink_in_processing_psql"})
    assert tables_holding(admin, SECRET) == []
    assert unchanged(secret, before)
    assert r.returncode == 0 and r.stdout == "", (r.stdout, r.stderr)
    # not read, not recorded as a load, left waiting with the reason and the way out in the log
    assert admin.execute("SELECT count(*) FROM dba.tdataloads WHERE job_name = %s", (job["job"],)).fetchone()[0] == 0
    for name in names.values():
        assert admin.execute("SELECT count(*) FROM dba.tlogentry WHERE message LIKE %s",
                             (f"%/{name} left waiting, unread: no registration%feeds watch%",)).fetchone()[0] == 1
        assert os.path.lexists(job["processing"] / name)
    ledger.files_checked += 2
    # asked for by name, it is refused with the reason
    r = psql_as_etl(f"SELECT * FROM dba.run_import(p_file => '{names['symlink']}')")
    assert r.returncode != 0 and "never registered, so it is not read" in r.stderr, r.stderr
    assert tables_holding(admin, SECRET) == [] and unchanged(secret, before)


def test_links_registered_by_hand_with_a_guessed_sha256_fail_and_keep_nothing(rjob, admin, server_secret, ledger):
    """feeds_etl may call dba.register_file itself: a link registered under a sha256 that is not
    its target's fails with FD016 before a byte of it is staged, and nothing read is kept."""
    job = rjob()
    secret, before = server_secret(job["job"])
    names = plant_links(job, secret)
    for name in names.values():  # a guess of the content: one letter off, one guess per link
        guess = hashlib.sha256(f"id,name,email\n1,{SECRET[:-1]}x,{name}\n".encode()).hexdigest()
        r = psql_as_etl(f"SELECT status FROM dba.register_file('{job['job']}', '{name}', '{guess}', {before.st_size})")
        assert r.stdout.strip() == "pending", r.stderr
    r = psql_as_etl(f"SELECT file_name, status, message FROM dba.run_import(p_job => '{job['job']}')")
    ledger.hostile.update({"symlink_registered_by_hand", "hardlink_registered_by_hand"})
    assert r.returncode == 0, r.stderr
    assert tables_holding(admin, SECRET) == []
    rows = sorted(line.split("|") for line in r.stdout.splitlines())
    assert [(n, s) for n, s, _ in rows] == sorted((n, "failed") for n in names.values()), r.stdout
    assert all(m.startswith("[FD016]") and "is not the file feeds watch registered" in m for _, _, m in rows), rows
    assert unchanged(secret, before)
    assert admin.execute("SELECT count(*) FROM dba.tloaderror e JOIN dba.tdataloads d USING (load_id)"
                         " WHERE d.job_name = %s", (job["job"],)).fetchone()[0] == 0


def test_a_failed_file_left_in_processing_is_never_imported_again(shim_env, rjob, admin, ledger):
    """The watcher registered it; psql imports it and it fails; the runner has not quarantined it
    yet. Every later run_import in psql leaves it alone: one file, one failed load."""
    job = rjob()
    name = f"{job['job']}_badheader.csv"
    (job["inbox"] / name).write_bytes(b"nope,wrong,header\r\n1,a,b\r\n")
    db = dbm.Db()
    log = dbm.RunLog("file_watcher", str(db.one("SELECT dba.start_run('pytest')")[0]))
    try:
        [o] = file_watcher.watch_once(db, log, settle=0, inboxes=[str(job["inbox"])], progress=False)
    finally:
        db.close()
        log.close()
    assert o.action == "registered", o
    first = psql_as_etl(f"SELECT file_name, status FROM dba.run_import(p_job => '{job['job']}')")
    assert first.stdout.splitlines() == [f"{name}|failed"], (first.stdout, first.stderr)
    for _ in range(2):
        again = psql_as_etl(f"SELECT file_name, status FROM dba.run_import(p_job => '{job['job']}')")
        assert again.returncode == 0 and again.stdout == "", (again.stdout, again.stderr)
    assert admin.execute("SELECT status, error_sqlstate FROM dba.tdataloads WHERE job_name = %s",
                         (job["job"],)).fetchall() == [("failed", "FD020")]
    assert (job["processing"] / name).exists()
    ledger.hostile.add("failed_file_left_in_processing")
    ledger.files_checked += 1
