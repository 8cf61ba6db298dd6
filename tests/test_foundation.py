"""The foundation as a user meets it: roles, the log, set-up scripts' error messages."""
import os
import shutil
import subprocess
import uuid

import psycopg
import pytest
from psycopg import sql

from conftest import ROOT


def test_etl_role_can_log_but_not_write_tables_directly(etl):
    run = etl.execute("SELECT dba.start_run('pytest')").fetchone()[0]
    row = etl.execute(
        "SELECT step_counter, message FROM dba.log(p_run_uuid => %s, p_process_type => 'pytest',"
        " p_message => 'second step')", (run,)).fetchone()
    assert row == (2, "second step")
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        etl.execute("INSERT INTO dba.tlogentry (run_uuid, process_type, step_counter, step_runtime,"
                    " total_runtime, message) VALUES (gen_random_uuid(), 'x', 1, '0', '0', 'x')")


def test_replayed_log_line_is_inserted_once(etl):
    run = etl.execute("SELECT dba.start_run('pytest')").fetchone()[0]
    entry = uuid.uuid4()
    for _ in range(3):
        etl.execute("SELECT dba.log(p_run_uuid => %s, p_process_type => 'pytest', p_message => 'once',"
                    " p_logged_at => now() - interval '1 hour', p_entry_uuid => %s)", (run, entry))
    n = etl.execute("SELECT count(*) FROM dba.tlogentry WHERE entry_uuid = %s", (entry,)).fetchone()[0]
    assert n == 1


def test_pgcluster_reports_a_taken_port_clearly(workdir):
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen()
    port = s.getsockname()[1]
    env = dict(os.environ, FEEDS_PGDATA=str(workdir / "pg" / "data"), FEEDS_PGPORT=str(port))
    try:
        r = subprocess.run([str(ROOT / "bin/pgcluster"), "start"], env=env, capture_output=True, text=True)
    finally:
        s.close()
        subprocess.run([str(ROOT / "bin/pgcluster"), "remove"], env=env, capture_output=True)
    assert r.returncode == 2
    assert f"port {port}" in r.stderr and "way out" in r.stderr
    assert "Traceback" not in r.stderr


def test_pgcluster_start_recreates_a_dropped_database(admin):
    # The test cluster is running; a database missing from it (here a new name, as if someone
    # dropped the project database) is created by `start`, so `make demo` works again.
    name = f"feeds_gone_{uuid.uuid4().hex[:8]}"
    env = dict(os.environ, FEEDS_PGDB=name)
    try:
        r = subprocess.run([str(ROOT / "bin/pgcluster"), "start"], env=env, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        assert admin.execute("SELECT count(*) FROM pg_database WHERE datname = %s", (name,)).fetchone()[0] == 1
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def test_pgcluster_refuses_a_half_created_cluster(tmp_path):
    data = tmp_path / "pg" / "data"
    data.mkdir(parents=True)
    (data / "postgresql.conf").write_text("# left over\n")
    env = dict(os.environ, FEEDS_PGDATA=str(data), FEEDS_PGPORT="1")
    r = subprocess.run([str(ROOT / "bin/pgcluster"), "init"], env=env, capture_output=True, text=True)
    assert r.returncode == 2
    assert "half-created" in r.stderr and "bin/pgcluster remove" in r.stderr


def test_setup_refuses_old_python_with_a_way_out(tmp_path):
    fake = tmp_path / "python3"
    fake.write_text('#!/bin/sh\ncase "$*" in *platform*) echo 3.9.2;; *) exit 1;; esac\n')
    fake.chmod(0o755)
    r = subprocess.run([str(ROOT / "bin/setup")], env=dict(os.environ, FEEDS_PYTHON=str(fake)),
                       capture_output=True, text=True)
    assert r.returncode == 2
    assert "3.9.2 is too old" in r.stderr and "way out" in r.stderr


def test_setup_without_apt_names_the_missing_packages_and_a_way_out(tmp_path):
    # A PATH with the tools setup needs but no apt-get, and a package that is not installed.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for tool in ("python3", "dpkg-query", "grep", "getent", "id", "sha256sum", "cut", "cat", "dirname", "printf"):
        src = shutil.which(tool)
        if src:
            (bindir / tool).symlink_to(src)
    env = dict(os.environ, PATH=str(bindir), FEEDS_EXTRA_PACKAGES="feeds-no-such-package")
    r = subprocess.run(["/bin/bash", str(ROOT / "bin/setup")], env=env, capture_output=True, text=True)
    assert r.returncode == 2
    assert "apt-get is not available" in r.stderr and "feeds-no-such-package" in r.stderr
    assert "way out" in r.stderr and "Traceback" not in r.stderr
